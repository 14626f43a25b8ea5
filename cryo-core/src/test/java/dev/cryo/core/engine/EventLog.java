package dev.cryo.core.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * One ordered log shared by the test transport and the recording handler, so that a test can
 * check what went to the wire relative to what the application saw.
 */
final class EventLog {

	private final List<String> events = new ArrayList<>();

	synchronized void add(String event) {
		this.events.add(event);
	}

	synchronized List<String> events() {
		return List.copyOf(this.events);
	}

	synchronized void clear() {
		this.events.clear();
	}

}
