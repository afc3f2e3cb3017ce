/**
 * Material for the subjective criterion: each kernel's activation maps on sample images per class,
 * the cheap objective scores, and PNG contact sheets of both. Plain Java + DL4J.
 */
package org.cnnsimplifier.engine.review;
