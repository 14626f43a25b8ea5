package dev.cryo.endpoint.wire;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cryo.server.CryoSession;

/**
 * Cryo sessions for the wire tests: a proxy that answers what the Cryo wire asks (id, peer, open,
 * sends) and records the texts sent.
 */
final class WireTestSessions {

	private WireTestSessions() {
	}

	/**
	 * Creates a session.
	 * @param id its id
	 * @param peer whether it is a link to another server
	 * @param sent receives the texts sent on it
	 * @return the session
	 */
	static CryoSession session(String id, boolean peer, List<String> sent) {
		return (CryoSession) Proxy.newProxyInstance(WireTestSessions.class.getClassLoader(),
				new Class<?>[] { CryoSession.class }, (proxy, method, args) -> switch (method.getName()) {
					case "idString", "toString" -> id;
					case "isPeer" -> peer;
					case "isOpen" -> true;
					case "principal", "remoteAddress" -> null;
					case "sendUtf8" -> {
						sent.add((String) args[0]);
						yield CompletableFuture.completedFuture(null);
					}
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

	static CryoSession session(String id) {
		return session(id, false, new CopyOnWriteArrayList<>());
	}

}
