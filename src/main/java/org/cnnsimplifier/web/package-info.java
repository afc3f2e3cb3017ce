/**
 * The web pages: the jobs dashboard ({@code /}, {@code index.html}) and the kernel review ({@code
 * review.html?job=<id>}), plain HTML, CSS and JavaScript modules under {@code static/} that talk
 * only to the public API ({@code /api/v1}) with the API key the person enters. Knows no other
 * module's classes.
 */
package org.cnnsimplifier.web;
