package dev.cryo.server;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.cryo.core.SessionId;

/**
 * A {@link CryoSession} that answers only {@code id()}, {@code idString()}, {@code attributes()}
 * and {@code groups()}, for tests of code that reads no more of a session.
 */
public final class StubSession {

	private StubSession() {
	}

	/**
	 * Creates a stub.
	 * @param id the session id
	 * @param attributes the attributes, copied
	 * @return the stub
	 */
	public static CryoSession of(long id, Map<String, Object> attributes) {
		return of(id, attributes, Set.of());
	}

	/**
	 * Creates a stub that is in some groups.
	 * @param id the session id
	 * @param attributes the attributes, copied
	 * @param groups the groups it answers from {@code groups()}
	 * @return the stub
	 */
	public static CryoSession of(long id, Map<String, Object> attributes, Set<String> groups) {
		Map<String, Object> store = new ConcurrentHashMap<>(attributes);
		Set<String> memberships = Set.copyOf(groups);
		return (CryoSession) Proxy.newProxyInstance(CryoSession.class.getClassLoader(),
				new Class<?>[] { CryoSession.class }, (proxy, method, args) -> switch (method.getName()) {
					case "id" -> SessionId.of(id);
					case "idString" -> Long.toUnsignedString(id);
					case "attributes" -> store;
					case "groups" -> memberships;
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					case "toString" -> "StubSession[" + id + "]";
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

}
