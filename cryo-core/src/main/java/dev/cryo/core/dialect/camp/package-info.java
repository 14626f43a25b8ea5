/**
 * CAMP (camp.md), the successor of Cryo v1, as a dialect on the same endpoint:
 * {@link dev.cryo.core.dialect.camp.CampDialect} recognises it at the upgrade and
 * {@link dev.cryo.core.dialect.camp.CampCodec} reads and writes its frames. Its sessions behave
 * as Cryo v1 sessions do except where camp.md says otherwise, so the dialect reuses the v1
 * dispatcher in its CAMP variant.
 */
@NullMarked
package dev.cryo.core.dialect.camp;

import org.jspecify.annotations.NullMarked;
