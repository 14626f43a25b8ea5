/**
 * Live data: committed JPA changes pushed to subscribed connections of the endpoint layer.
 * Entities are watched with {@link dev.cryo.livedata.LiveData @LiveData} (or properties);
 * connections subscribe to a model or to one row through the bundled {@code live-data} plugin or
 * {@link dev.cryo.livedata.LiveDataSubscriptions}; each committed create, update or delete reaches
 * them as {@code {"meta":{"method":"notify","type":"data-changed"},"data":{"operation":…,
 * "model":…,"fields":{…}}}} with only the allow-listed fields. {@code support} implements it on
 * Hibernate's event listeners.
 */
@NullMarked
package dev.cryo.livedata;

import org.jspecify.annotations.NullMarked;
