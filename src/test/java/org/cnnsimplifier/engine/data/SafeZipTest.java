package org.cnnsimplifier.engine.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeZipTest {

  @Test
  void keepsRelativeNamesThatStayInsideTheFolder() {
    assertThat(SafeZip.normalizedName("cats/1.png")).isEqualTo("cats/1.png");
    assertThat(SafeZip.normalizedName("./cats//a/../1.png")).isEqualTo("cats/1.png");
    assertThat(SafeZip.normalizedName("cats\\1.png")).isEqualTo("cats/1.png");
  }

  @Test
  void rejectsNamesThatEscapeOrAreAbsolute() {
    assertThat(SafeZip.normalizedName("../1.png")).isNull();
    assertThat(SafeZip.normalizedName("cats/../../1.png")).isNull();
    assertThat(SafeZip.normalizedName("..\\..\\1.png")).isNull();
    assertThat(SafeZip.normalizedName("/etc/passwd")).isNull();
    assertThat(SafeZip.normalizedName("C:\\Windows\\1.png")).isNull();
  }
}
