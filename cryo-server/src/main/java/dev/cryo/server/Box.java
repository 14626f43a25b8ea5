package dev.cryo.server;

import java.util.Objects;

/**
 * A mutable holder that lets an extension hook replace the value passing through it; the next
 * hook, and finally the send or the event, sees the replacement.
 *
 * @param <T> the value type
 */
public final class Box<T> {

	private T value;

	/**
	 * Creates a box.
	 * @param value the initial value
	 */
	public Box(T value) {
		this.value = Objects.requireNonNull(value, "value");
	}

	/**
	 * Returns the current value.
	 * @return the value
	 */
	public T get() {
		return this.value;
	}

	/**
	 * Replaces the value.
	 * @param value the new value
	 */
	public void set(T value) {
		this.value = Objects.requireNonNull(value, "value");
	}

	@Override
	public String toString() {
		return "Box[" + this.value + "]";
	}

}
