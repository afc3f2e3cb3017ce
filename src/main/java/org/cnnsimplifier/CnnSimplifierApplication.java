package org.cnnsimplifier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The CNN Simplifier service. */
@SpringBootApplication
public class CnnSimplifierApplication {

  public static void main(String[] args) {
    SpringApplication.run(CnnSimplifierApplication.class, args);
  }
}
