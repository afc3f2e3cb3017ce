package org.cnnsimplifier.engine.data;

/** Which library decodes the PNG and JPEG files of class-folder data sets. */
public enum ImageDecoder {
  /**
   * OpenCV (through DataVec's image module) when its natives load and it reads the file as 8-bit
   * gray or colour; {@code javax.imageio} otherwise (16-bit images, formats or files OpenCV cannot
   * read, a platform without the natives).
   */
  AUTO,
  /** {@code javax.imageio} only. */
  IMAGEIO
}
