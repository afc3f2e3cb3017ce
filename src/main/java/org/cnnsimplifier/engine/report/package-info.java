/** The figures a simplification reports, per step and in total; plain records. */
package org.cnnsimplifier.engine.report;
