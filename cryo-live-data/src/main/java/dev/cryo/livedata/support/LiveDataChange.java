package dev.cryo.livedata.support;

/**
 * One changed row, captured at flush time and encoded once: {@code notification} is the whole
 * message every subscriber gets,
 * {@code {"meta":{"method":"notify","type":"data-changed"},"data":{"operation":…,"model":…,"fields":{…}}}}.
 *
 * @param model the model's name
 * @param id the row's id, matched against row subscriptions
 * @param notification the notification's JSON text
 */
record LiveDataChange(String model, Object id, String notification) {

	/** The notification type of a change. */
	static final String NOTIFICATION_TYPE = "data-changed";

}
