package dev.cryo.server;

/**
 * How far applications may take {@linkplain CryoSession#join(String) groups}: the length of a
 * group name and the number of groups one session may be in. Both bound what a session costs
 * the membership index, whatever names an application derives from what clients send.
 *
 * @param maxNameLength the longest group name, in characters
 * @param maxPerSession the most groups one session may be in at once
 */
public record GroupLimits(int maxNameLength, int maxPerSession) {

	/** The defaults: names of up to 256 characters, 64 groups per session. */
	public static final GroupLimits DEFAULTS = new GroupLimits(256, 64);

	public GroupLimits {
		if (maxNameLength < 1) {
			throw new IllegalArgumentException("maxNameLength must be at least 1");
		}
		if (maxPerSession < 1) {
			throw new IllegalArgumentException("maxPerSession must be at least 1");
		}
	}

	/**
	 * Checks a group name against these limits.
	 * @param name the name
	 * @return the name
	 * @throws IllegalArgumentException if the name is empty or longer than {@link #maxNameLength()}
	 */
	public String checkName(String name) {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("Group name must not be empty");
		}
		if (name.length() > this.maxNameLength) {
			throw new IllegalArgumentException("Group name of " + name.length() + " characters is longer than "
					+ this.maxNameLength + " (cryo.groups.max-name-length)");
		}
		return name;
	}

}
