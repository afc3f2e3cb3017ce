/**
 * Material for the subjective criterion: each kernel's activation maps on sample images per class,
 * the cheap objective scores, and PNG contact sheets of both. The sample images are shown as a
 * person sees them: the model's input preprocessing is undone for display. Plain Java + DL4J.
 */
package org.cnnsimplifier.engine.review;
