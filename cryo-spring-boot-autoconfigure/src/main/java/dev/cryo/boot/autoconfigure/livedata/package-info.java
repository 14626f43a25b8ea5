/**
 * Auto-configuration of live data: committed JPA changes pushed to subscribed connections of the
 * endpoint layer.
 */
@NullMarked
package dev.cryo.boot.autoconfigure.livedata;

import org.jspecify.annotations.NullMarked;
