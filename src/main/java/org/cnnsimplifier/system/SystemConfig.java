package org.cnnsimplifier.system;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Cross-cutting beans: the clock every module takes time from, and configuration records. */
@Configuration
@EnableConfigurationProperties(SecurityProperties.class)
class SystemConfig {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
