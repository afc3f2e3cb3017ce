package org.cnnsimplifier.catalog;

/** Example bodies shown in the OpenAPI description (abridged from real answers). */
final class ApiExamples {
  static final String MODEL =
      """
      {"id":"0f8fad5b-d9cb-469f-a165-70867728950e","name":"lenet.zip","format":"DL4J_ZIP",
       "sizeBytes":1738514,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
       "createdAt":"2025-01-31T10:15:30.123456Z",
       "inputShape":{"channels":1,"height":28,"width":28},
       "architecture":{"layers":[
         {"name":"conv1","kind":"Convolution","inputShape":[1,28,28],"outputShape":[20,24,24],
          "params":520,"flops":576000,"kernels":20,"prunable":true,"notPrunableReason":null,
          "group":"conv1","groupMembers":["conv1"],"groupConsumers":["conv2"]},
         {"name":"pool1","kind":"Subsampling","inputShape":[20,24,24],"outputShape":[20,12,12],
          "params":0,"flops":0,"kernels":null,"prunable":false,
          "notPrunableReason":"only convolution kernels and dense units can be eliminated",
          "group":null,"groupMembers":null,"groupConsumers":null},
         {"name":"out","kind":"Output","inputShape":[500],"outputShape":[10],"params":5010,
          "flops":10000,"kernels":null,"prunable":false,
          "notPrunableReason":"its units are the model's outputs (the classes); they are never removed",
          "group":"out","groupMembers":["out"],"groupConsumers":[]}],
        "totalParams":431080,"totalFlops":4587000,"prunableLayers":["conv1","conv2","fc1"],
        "groups":[
         {"name":"conv1","channels":20,"members":["conv1"],"followers":[],"consumers":["conv2"],
          "prunable":true,"notPrunableReason":null},
         {"name":"conv2","channels":50,"members":["conv2"],"followers":[],"consumers":["fc1"],
          "prunable":true,"notPrunableReason":null},
         {"name":"fc1","channels":500,"members":["fc1"],"followers":[],"consumers":["out"],
          "prunable":true,"notPrunableReason":null}],
        "defaultGroups":["conv1","conv2"]},
       "preprocessing":{"scale":0.00392156862745098,"mean":[0.0],"std":[1.0],"channelOrder":"RGB"},
       "exportFormats":["DL4J_ZIP","KERAS_H5","ONNX"],"exportUnavailable":{}}
      """;

  static final String MODEL_PAGE =
      """
      {"items":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","name":"lenet.zip","format":"DL4J_ZIP",
        "sizeBytes":1738514,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "createdAt":"2025-01-31T10:15:30.123456Z","inputShape":{"channels":1,"height":28,"width":28},
        "architecture":{"layers":[],"totalParams":431080,"totalFlops":4587000,
        "prunableLayers":["conv1","conv2"]}}],
       "page":0,"size":20,"totalItems":1}
      """;

  static final String DATASET =
      """
      {"id":"7c9e6679-7425-40de-944b-e07fc1f90ae7","name":"mnist","kind":"IDX_ZIP",
       "sizeBytes":11594722,"sha256":"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
       "classes":["0","1","2","3","4","5","6","7","8","9"],
       "counts":{"train":{"0":5331,"1":6068},"validation":{"0":592,"1":674},"test":{"0":980,"1":1135}},
       "imageShape":{"channels":1,"height":28,"width":28},
       "validationFraction":0.1,"testFraction":0.1,"testSplit":"test","seed":0,
       "createdAt":"2025-01-31T10:16:02.654321Z"}
      """;

  static final String DATASET_PAGE =
      """
      {"items":[{"id":"7c9e6679-7425-40de-944b-e07fc1f90ae7","name":"flowers.zip",
        "kind":"IMAGE_FOLDERS_ZIP","sizeBytes":228813,"sha256":"fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9",
        "classes":["daisy","rose"],"counts":{"train":{"daisy":80,"rose":80},
        "validation":{"daisy":10,"rose":10},"test":{"daisy":10,"rose":10}},
        "imageShape":{"channels":3,"height":64,"width":64},
        "validationFraction":0.1,"testFraction":0.1,"testSplit":"held-out","seed":0,
        "createdAt":"2025-01-31T10:16:02.654321Z"}],
       "page":0,"size":20,"totalItems":1}
      """;

  static final String TOO_LARGE =
      """
      {"type":"about:blank","title":"Content Too Large","status":413,
       "detail":"the upload is larger than the limit of 2147483648 bytes (cnn.uploads.max-bytes); nothing was stored"}
      """;

  static final String MODEL_WRONG_TYPE =
      """
      {"type":"about:blank","title":"Unsupported Media Type","status":415,
       "detail":"Content-Type text/plain is not a model type; send application/zip (a Deeplearning4j model), application/x-hdf5 (a Keras model) or application/octet-stream"}
      """;

  static final String MODEL_INVALID =
      """
      {"type":"about:blank","title":"Unprocessable Content","status":422,
       "detail":"mlp.zip has no convolution layer; nothing to simplify"}
      """;

  static final String DATASET_WRONG_TYPE =
      """
      {"type":"about:blank","title":"Unsupported Media Type","status":415,
       "detail":"notes.txt is neither a zip archive nor an IDX file (plain or gzipped); send a zip archive (application/zip) or IDX files (application/octet-stream, gzipped: application/gzip)"}
      """;

  static final String DATASET_INVALID =
      """
      {"type":"about:blank","title":"Unprocessable Content","status":422,
       "detail":"IDX file t10k-images-idx3-ubyte.gz has no matching labels (…-labels-idx1-ubyte) file; add it"}
      """;

  static final String NOT_FOUND =
      """
      {"type":"about:blank","title":"Not Found","status":404,
       "detail":"model 0f8fad5b-d9cb-469f-a165-70867728950e does not exist"}
      """;

  static final String IN_USE =
      """
      {"type":"about:blank","title":"Conflict","status":409,
       "detail":"model 0f8fad5b-d9cb-469f-a165-70867728950e is used by a job; a job keeps its model and data set until the job is deleted: cancel the jobs that have not ended, delete the jobs that use it (DELETE /api/v1/jobs/{id}), then delete the model"}
      """;

  static final String BAD_PAGE =
      """
      {"type":"about:blank","title":"Bad Request","status":400,
       "detail":"size must be between 1 and 100","errors":{"size":"must be between 1 and 100, got 500"}}
      """;

  private ApiExamples() {}
}
