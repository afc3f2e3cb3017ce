package org.cnnsimplifier.workers;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The workers' settings; the pool itself is {@link WorkerPool}. */
@Configuration
@EnableConfigurationProperties({WorkerProperties.class, TensorStoreProperties.class})
class WorkersConfig {}
