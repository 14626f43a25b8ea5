package dev.cryo.server.cluster;

import org.springframework.util.Assert;

/**
 * The rules for the names of {@linkplain ClusterBroadcaster#publish(String, byte[]) cluster
 * topics}, shared by every broadcaster so that a name valid for one is valid for all.
 */
public final class ClusterTopics {

	/** The longest topic name. */
	public static final int MAX_NAME_LENGTH = 200;

	private ClusterTopics() {
	}

	/**
	 * Checks a topic name: 1 to {@value #MAX_NAME_LENGTH} characters, ASCII letters, digits and
	 * {@code .-_:}.
	 * @param topic the name
	 * @return the name
	 * @throws IllegalArgumentException when it breaks a rule
	 */
	public static String checkName(String topic) {
		Assert.hasLength(topic, "'topic' must not be empty");
		Assert.isTrue(topic.length() <= MAX_NAME_LENGTH,
				() -> "'topic' must not be longer than " + MAX_NAME_LENGTH + " characters");
		for (int i = 0; i < topic.length(); i++) {
			char c = topic.charAt(i);
			boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
					|| c == '-' || c == '_' || c == ':';
			Assert.isTrue(allowed, "'topic' may hold only ASCII letters, digits and .-_:");
		}
		return topic;
	}

}
