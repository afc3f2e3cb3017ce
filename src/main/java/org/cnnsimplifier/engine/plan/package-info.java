/**
 * What a simplification should do: the plan (layers, criterion, strategy, policy, retraining, seed)
 * and how a policy turns scores into a choice of kernels. Plain Java.
 */
package org.cnnsimplifier.engine.plan;
