-- How a model's input images are preprocessed (scale, per-channel mean and std, channel order),
-- as JSON; set at upload and changeable later. NULL: the defaults (images in [0, 1], RGB).
ALTER TABLE model ADD COLUMN preprocessing VARCHAR(2000);
