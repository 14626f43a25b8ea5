package dev.cryo.endpoint;

/**
 * Listens to changes of a connection's settings in the functional API (what
 * {@link OnSettingChanged @OnSettingChanged} declares).
 */
@FunctionalInterface
public interface SettingListener {

	/**
	 * A setting changed, after the change was applied.
	 * @param connection the connection
	 * @param change the change
	 */
	void settingChanged(EndpointConnection connection, SettingChange change);

}
