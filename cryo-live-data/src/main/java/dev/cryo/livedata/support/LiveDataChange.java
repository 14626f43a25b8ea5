package dev.cryo.livedata.support;

import tools.jackson.databind.node.ObjectNode;

/**
 * One changed row, captured at flush time and encoded once: the notification's {@code data}
 * ({@code {"operation":…,"model":…,"fields":{…}}}) is the same tree for every subscriber.
 *
 * @param model the model's name
 * @param id the row's id, matched against row subscriptions
 * @param data the notification's data; never changed after capture
 */
record LiveDataChange(String model, Object id, ObjectNode data) {

	/** The notification type of a change. */
	static final String NOTIFICATION_TYPE = "data-changed";

}
