package dev.cryo.endpoint.wire;

/**
 * Decides at runtime which browser origins may open yoctopus's WebSocket endpoint, for
 * applications whose allowed origins change (e.g. read from a database). When the application
 * defines a bean of this type it replaces {@code cryo.allowed-origins} for that endpoint. A
 * request without {@code Origin} and a same-origin request are always allowed.
 */
@FunctionalInterface
public interface YoctopusOriginPolicy {

	/**
	 * Decides whether a page of this origin may connect.
	 * @param origin the request's {@code Origin} header, e.g. {@code https://app.example.com}
	 * @return whether the upgrade may go on; {@code false} refuses it with 403
	 */
	boolean allows(String origin);

}
