/**
 * Live data on Hibernate: {@link dev.cryo.livedata.support.LiveDataSupport} installs the change
 * listeners and offers the subscriptions, the bundled {@code live-data} plugin and the connection
 * listener. Changes are captured at flush time, held per transaction and delivered after the
 * commit in commit order.
 */
@NullMarked
package dev.cryo.livedata.support;

import org.jspecify.annotations.NullMarked;
