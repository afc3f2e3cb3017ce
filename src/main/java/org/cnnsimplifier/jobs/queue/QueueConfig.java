package org.cnnsimplifier.jobs.queue;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Binds {@link QueueProperties} and turns on scheduling for the reaper. */
@Configuration
@EnableConfigurationProperties(QueueProperties.class)
@EnableScheduling
class QueueConfig {}
