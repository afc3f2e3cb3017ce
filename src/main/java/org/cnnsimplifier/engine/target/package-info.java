/**
 * Simplify to a target: a sensitivity analysis of each group pruned alone, an exact cost of any
 * combination of per-group ratios, and the allocation of ratios that meets a parameters, FLOPs or
 * latency target with the least predicted accuracy loss. Plain Java + DL4J.
 */
package org.cnnsimplifier.engine.target;
