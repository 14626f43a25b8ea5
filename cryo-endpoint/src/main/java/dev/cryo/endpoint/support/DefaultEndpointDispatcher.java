package dev.cryo.endpoint.support;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cryo.core.LogText;
import dev.cryo.endpoint.BinaryHandler;
import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointContext;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.EndpointHandler;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.EndpointRequest;
import dev.cryo.endpoint.EndpointResponse;
import dev.cryo.endpoint.EndpointResult;
import dev.cryo.endpoint.Multicaster;
import dev.cryo.endpoint.PluginDefinition.MethodDefinition;
import dev.cryo.endpoint.RequirementCheck;
import dev.cryo.endpoint.Requirements;
import dev.cryo.endpoint.Requires;
import dev.cryo.endpoint.support.DefaultEndpointRegistry.BinaryRoute;
import dev.cryo.endpoint.support.DefaultEndpointRegistry.Route;
import dev.cryo.endpoint.support.DefaultEndpointRegistry.Snapshot;
import dev.cryo.server.CryoPrincipal;

/**
 * The dispatcher of the endpoint layer: reads yoctopus's envelope, routes the request through the
 * registry's current snapshot, checks the method's requirements, binds and validates the body,
 * calls the handler and answers, with the listeners' hooks around it all.
 *
 * <p>A request that needs nothing asynchronous (no {@link RequirementCheck}, a handler that
 * returns a value or a completed stage) is answered on the calling thread without any future or
 * timer. Otherwise the request is pending on its connection until it is answered: its answer is
 * sent from the thread that completes it, it times out after
 * {@link DispatcherLimits#requestTimeout()}, and when the connection closes it is dropped. At most
 * {@link DispatcherLimits#maxPendingRequests()} requests of one connection are pending; a request
 * arriving while that many wait is refused at once, before it is routed.
 */
public final class DefaultEndpointDispatcher implements EndpointDispatcher {

	private static final Log logger = LogFactory.getLog(DefaultEndpointDispatcher.class);

	/** Most characters of a client's endpoint or method name repeated in an error message. */
	private static final int MAX_ECHOED_NAME = 128;

	static final String INVALID_JSON_MESSAGE = "Invalid JSON.";

	static final String MISSING_META_MESSAGE = "Missing meta.";

	static final String MISSING_ENDPOINT_MESSAGE = "Missing meta.endpoint.";

	static final String MISSING_METHOD_MESSAGE = "Missing meta.method.";

	static final String TIMEOUT_MESSAGE = "Request timed out.";

	private final Supplier<Snapshot> snapshots;

	private final JsonBinder binder;

	private final JsonMapper mapper;

	private final Envelopes envelopes;

	private final SettingsFactory settingsFactory;

	private final ConnectionRegister register;

	private final Multicaster multicaster;

	private final EndpointListener[] listeners;

	private final AuthorityResolver authorities;

	private final DispatcherLimits limits;

	private final ScheduledExecutorService scheduler;

	private final EndpointLimitObserver limitObserver;

	private final Map<EndpointConnection, ConnectionState> states = new ConcurrentHashMap<>();

	/**
	 * The last text {@link #isRequest} parsed on this thread: a wire asks {@code isRequest} and
	 * then dispatches the same text, which is parsed once.
	 */
	private final ThreadLocal<ParsedText> lastParsed = ThreadLocal.withInitial(ParsedText::new);

	/** The index of a registry that is not a {@link DefaultEndpointRegistry}. */
	private volatile Snapshot foreignSnapshot = Snapshot.EMPTY;

	/**
	 * Creates the dispatcher.
	 * @param registry the plugins to route to
	 * @param binder binds and validates bodies; its mapper reads and writes every message
	 * @param settingsFactory creates each connection's settings
	 * @param register the connections multicasts choose from
	 * @param multicaster given to handlers
	 * @param listeners the lifecycle hooks, in the order they run
	 * @param authorities tells a principal's authorities
	 * @param limits the limits
	 * @param scheduler runs the timeouts
	 */
	public DefaultEndpointDispatcher(EndpointRegistry registry, JsonBinder binder, SettingsFactory settingsFactory,
			ConnectionRegister register, Multicaster multicaster, List<EndpointListener> listeners,
			AuthorityResolver authorities, DispatcherLimits limits, ScheduledExecutorService scheduler) {
		this(registry, binder, settingsFactory, register, multicaster, listeners, authorities, limits, scheduler,
				EndpointLimitObserver.NONE);
	}

	/**
	 * Creates the dispatcher.
	 * @param registry the plugins to route to
	 * @param binder binds and validates bodies; its mapper reads and writes every message
	 * @param settingsFactory creates each connection's settings
	 * @param register the connections multicasts choose from
	 * @param multicaster given to handlers
	 * @param listeners the lifecycle hooks, in the order they run
	 * @param authorities tells a principal's authorities
	 * @param limits the limits
	 * @param scheduler runs the timeouts
	 * @param limitObserver told when a limit turns a request away
	 */
	public DefaultEndpointDispatcher(EndpointRegistry registry, JsonBinder binder, SettingsFactory settingsFactory,
			ConnectionRegister register, Multicaster multicaster, List<EndpointListener> listeners,
			AuthorityResolver authorities, DispatcherLimits limits, ScheduledExecutorService scheduler,
			EndpointLimitObserver limitObserver) {
		this.limitObserver = limitObserver;
		this.snapshots = snapshotsOf(registry);
		this.binder = binder;
		this.mapper = binder.mapper();
		this.envelopes = new Envelopes(this.mapper);
		this.settingsFactory = settingsFactory;
		this.register = register;
		this.multicaster = multicaster;
		this.listeners = listeners.toArray(EndpointListener[]::new);
		this.authorities = authorities;
		this.limits = limits;
		this.scheduler = scheduler;
	}

	/**
	 * The registry's snapshot; another registry implementation is indexed here, again after each
	 * of its changes.
	 */
	private Supplier<Snapshot> snapshotsOf(EndpointRegistry registry) {
		if (registry instanceof DefaultEndpointRegistry defaultRegistry) {
			return defaultRegistry::snapshot;
		}
		this.foreignSnapshot = Snapshot.of(registry.plugins());
		registry.addChangeListener(() -> this.foreignSnapshot = Snapshot.of(registry.plugins()));
		return () -> this.foreignSnapshot;
	}

	@Override
	public ConnectionSettings createSettings(EndpointConnection owner) {
		return this.settingsFactory.create(owner);
	}

	@Override
	public void opened(EndpointConnection connection) {
		this.states.computeIfAbsent(connection, (key) -> new ConnectionState());
		this.register.add(connection);
		for (EndpointListener listener : this.listeners) {
			try {
				listener.onConnectionOpened(connection);
			}
			catch (RuntimeException ex) {
				logger.warn("Endpoint listener " + listener + " failed in onConnectionOpened for connection "
						+ LogText.escape(connection.id()), ex);
			}
		}
	}

	@Override
	public void closed(EndpointConnection connection) {
		ConnectionState state = this.states.remove(connection);
		if (state == null) {
			return;
		}
		state.close();
		this.register.remove(connection);
		for (EndpointListener listener : this.listeners) {
			try {
				listener.onConnectionClosed(connection);
			}
			catch (RuntimeException ex) {
				logger.warn("Endpoint listener " + listener + " failed in onConnectionClosed for connection "
						+ LogText.escape(connection.id()), ex);
			}
		}
	}

	/**
	 * Returns the requests of every connection that wait for an asynchronous answer now.
	 * @return the count, each connection's at most {@link DispatcherLimits#maxPendingRequests()}
	 */
	public int pendingRequests() {
		int pending = 0;
		for (ConnectionState state : this.states.values()) {
			pending += state.pending();
		}
		return pending;
	}

	@Override
	public boolean isRequest(String text) {
		int start = firstNonWhitespace(text);
		if (start < 0 || text.charAt(start) != '{') {
			return false;
		}
		if (text.length() > this.limits.maxRequestLength()) {
			// Claimed without parsing, so that the client is told its request is too large.
			return true;
		}
		JsonNode tree;
		try {
			tree = this.mapper.readTree(text);
		}
		catch (JacksonException ex) {
			return false;
		}
		JsonNode meta = (tree != null) ? tree.get("meta") : null;
		boolean request = meta instanceof ObjectNode && meta.get("endpoint") != null && meta.get("endpoint").isString();
		if (request) {
			this.lastParsed.get().set(text, tree);
		}
		return request;
	}

	private static int firstNonWhitespace(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return i;
			}
		}
		return -1;
	}

	@Override
	public void dispatch(EndpointConnection connection, String text) {
		ConnectionState state = state(connection);
		if (state == null) {
			return;
		}
		try {
			EndpointRequest request = read(connection, state, text);
			if (request != null) {
				route(connection, state, request);
			}
		}
		catch (RuntimeException ex) {
			// Never thrown to the wire: a bug here must not close the connection.
			logger.warn("Dispatching a request on connection " + LogText.escape(connection.id()) + " failed", ex);
		}
	}

	private @Nullable ConnectionState state(EndpointConnection connection) {
		ConnectionState state = this.states.get(connection);
		if (state == null) {
			// A wire that did not announce the connection; one already closed gets no state again.
			if (!connection.isOpen()) {
				return null;
			}
			state = this.states.computeIfAbsent(connection, (key) -> new ConnectionState());
		}
		return state;
	}

	/** Reads the envelope; answers what cannot be routed and returns {@code null} for it. */
	private @Nullable EndpointRequest read(EndpointConnection connection, ConnectionState state, String text) {
		if (text.length() > this.limits.maxRequestLength()) {
			this.limitObserver.limitExceeded(EndpointLimitObserver.REQUEST_LENGTH);
			answerUnreadable(connection, state, this.mapper.createObjectNode(), "Request too large (limit "
					+ this.limits.maxRequestLength() + " characters).");
			return null;
		}
		JsonNode tree = this.lastParsed.get().take(text);
		if (tree == null) {
			try {
				tree = this.mapper.readTree(text);
			}
			catch (JacksonException ex) {
				answerUnreadable(connection, state, this.mapper.createObjectNode(), INVALID_JSON_MESSAGE);
				return null;
			}
		}
		if (tree == null || !(tree.get("meta") instanceof ObjectNode meta)) {
			answerUnreadable(connection, state, this.mapper.createObjectNode(), MISSING_META_MESSAGE);
			return null;
		}
		JsonNode endpoint = meta.get("endpoint");
		if (endpoint == null || !endpoint.isString()) {
			answerUnreadable(connection, state, meta, MISSING_ENDPOINT_MESSAGE);
			return null;
		}
		JsonNode method = meta.get("method");
		if (method == null || !method.isString()) {
			answerUnreadable(connection, state, meta, MISSING_METHOD_MESSAGE);
			return null;
		}
		JsonNode data = tree.get("data");
		return new EndpointRequest(id(meta), endpoint.stringValue(), method.stringValue(),
				(data != null) ? data : NullNode.getInstance(), meta);
	}

	private static @Nullable String id(ObjectNode meta) {
		JsonNode id = meta.get("id");
		return (id != null && id.isValueNode() && !id.isNull()) ? id.asString() : null;
	}

	private void answerUnreadable(EndpointConnection connection, ConnectionState state, ObjectNode meta,
			String message) {
		EndpointRequest request = new EndpointRequest(id(meta), "", "", NullNode.getInstance(), meta);
		send(connection, state, request, error(request, List.of(message)));
	}

	private void route(EndpointConnection connection, ConnectionState state, EndpointRequest received) {
		EndpointRequest request = received;
		for (EndpointListener listener : this.listeners) {
			try {
				EndpointRequest replaced = listener.onRequestReceived(connection, request);
				request = (replaced != null) ? replaced : request;
			}
			catch (RuntimeException ex) {
				logger.warn("Endpoint listener " + listener + " failed in onRequestReceived for request "
						+ describe(connection, request), ex);
				send(connection, state, request, internalError(request));
				return;
			}
		}
		if (state.pending() >= this.limits.maxPendingRequests()) {
			this.limitObserver.limitExceeded(EndpointLimitObserver.PENDING_REQUESTS);
			send(connection, state, request, error(request,
					List.of("Too many pending requests (limit " + this.limits.maxPendingRequests() + ").")));
			return;
		}
		Route route = this.snapshots.get().routes().get(request.endpoint());
		if (route == null) {
			send(connection, state, request, error(request,
					List.of("Unknown endpoint '" + LogText.escape(request.endpoint(), MAX_ECHOED_NAME) + "'.")));
			return;
		}
		MethodDefinition method = route.endpoint().methods().get(request.method());
		if (method == null) {
			send(connection, state, request,
					error(request, List.of("Unknown method '" + LogText.escape(request.method(), MAX_ECHOED_NAME)
							+ "' for endpoint '" + LogText.escape(request.endpoint(), MAX_ECHOED_NAME) + "'.")));
			return;
		}
		Call call = new Call(connection, state, request, route, method);
		Requirements requirements = method.requirements();
		if (requirements.isEmpty()) {
			call.invoke();
			return;
		}
		if (!meetsSynchronously(connection, requirements)) {
			call.answer(error(request, List.of(Requires.UNMET_MESSAGE)));
			return;
		}
		if (requirements.checks().isEmpty()) {
			call.invoke();
			return;
		}
		if (!call.becomePending()) {
			return;
		}
		EndpointRequest routed = request;
		checkAsynchronously(connection, routed, requirements.checks(), call.pending, (met) -> {
			if (call.isAnswered()) {
				return;
			}
			if (met) {
				call.invoke();
			}
			else {
				call.answer(error(routed, List.of(Requires.UNMET_MESSAGE)));
			}
		});
	}

	/** Settings, authentication and authorities: what needs no waiting. */
	private boolean meetsSynchronously(EndpointConnection connection, Requirements requirements) {
		if (!requirements.settings().isEmpty()) {
			ConnectionSettings settings = connection.settings();
			for (Map.Entry<String, @Nullable Object> entry : requirements.settings().entrySet()) {
				String path = entry.getKey();
				int dot = path.indexOf('.');
				if (dot < 0) {
					return false;
				}
				Object actual = settings.get(path.substring(0, dot), path.substring(dot + 1));
				if (!jsonEquals(entry.getValue(), actual)) {
					return false;
				}
			}
		}
		if (requirements.authenticated() || !requirements.authorities().isEmpty()) {
			Principal principal = connection.principal();
			if (principal == null || CryoPrincipal.ANONYMOUS.equals(principal)) {
				return false;
			}
			if (!requirements.authorities().isEmpty()) {
				Collection<String> granted = this.authorities.authoritiesOf(principal);
				if (granted == null || !granted.containsAll(requirements.authorities())) {
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * Asks the checks in order, each within the requirement timeout; the first that is not met
	 * (fails, throws, times out) decides.
	 */
	private void checkAsynchronously(EndpointConnection connection, EndpointRequest request,
			List<RequirementCheck> checks, @Nullable Pending pending, Consumer<Boolean> decided) {
		Iterator<RequirementCheck> remaining = checks.iterator();
		new Object() {

			void next() {
				if (!remaining.hasNext()) {
					decided.accept(true);
					return;
				}
				RequirementCheck check = remaining.next();
				CompletionStage<Boolean> stage;
				try {
					stage = check.check(connection, request);
				}
				catch (RuntimeException ex) {
					logger.debug("Requirement check " + check + " failed", ex);
					decided.accept(false);
					return;
				}
				if (stage == null) {
					decided.accept(false);
					return;
				}
				if (stage instanceof CompletableFuture<Boolean> future && future.isDone()) {
					// Answered already: no timer needed.
					Boolean met = null;
					Throwable failure = null;
					try {
						met = future.getNow(false);
					}
					catch (CompletionException | CancellationException ex) {
						failure = ex;
					}
					settled(check, met, failure);
					return;
				}
				AtomicBoolean once = new AtomicBoolean();
				ScheduledFuture<?> timer = DefaultEndpointDispatcher.this.scheduler.schedule(() -> {
					if (once.compareAndSet(false, true)) {
						logger.debug("Requirement check " + check + " timed out");
						decided.accept(false);
					}
				}, DefaultEndpointDispatcher.this.limits.requirementTimeout().toNanos(), TimeUnit.NANOSECONDS);
				if (pending != null) {
					pending.timer = timer;
				}
				stage.whenComplete((met, failure) -> {
					if (once.compareAndSet(false, true)) {
						timer.cancel(false);
						settled(check, met, failure);
					}
				});
			}

			void settled(RequirementCheck check, @Nullable Boolean met, @Nullable Throwable failure) {
				if (failure != null) {
					logger.debug("Requirement check " + check + " failed", failure);
				}
				if (failure == null && Boolean.TRUE.equals(met)) {
					next();
				}
				else {
					decided.accept(false);
				}
			}

		}.next();
	}

	@Override
	public boolean hasBinaryHandler() {
		return this.snapshots.get().binary() != null;
	}

	@Override
	public void dispatchBinary(EndpointConnection connection, ByteBuffer payload) {
		BinaryRoute route = this.snapshots.get().binary();
		if (route == null) {
			return;
		}
		try {
			Requirements requirements = route.handler().requirements();
			if (!meetsSynchronously(connection, requirements)) {
				rejectBinary(connection);
				return;
			}
			if (requirements.checks().isEmpty()) {
				handleBinary(connection, route, payload);
				return;
			}
			// The wire may reuse its buffer once this returns: the checks answer later.
			ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip().asReadOnlyBuffer();
			EndpointRequest request = new EndpointRequest(null, "binary", "binary", NullNode.getInstance(),
					this.mapper.createObjectNode());
			checkAsynchronously(connection, request, requirements.checks(), null, (met) -> {
				if (met) {
					handleBinary(connection, route, copy);
				}
				else {
					rejectBinary(connection);
				}
			});
		}
		catch (RuntimeException ex) {
			logger.warn("Dispatching a binary message on connection " + LogText.escape(connection.id()) + " failed",
					ex);
		}
	}

	private void handleBinary(EndpointConnection connection, BinaryRoute route, ByteBuffer payload) {
		try {
			route.handler().handler().handle(connection, payload);
		}
		catch (Exception ex) {
			logger.warn("Binary handler of plugin '" + route.plugin().name() + "' failed on connection "
					+ LogText.escape(connection.id()), ex);
		}
	}

	private void rejectBinary(EndpointConnection connection) {
		try {
			connection.notify(BinaryHandler.REJECTED_TYPE, Map.of("message", Requires.UNMET_MESSAGE));
		}
		catch (RuntimeException ex) {
			logger.debug("Could not notify connection " + LogText.escape(connection.id()) + " of a rejected binary"
					+ " message", ex);
		}
	}

	private EndpointResponse error(EndpointRequest request, List<String> messages) {
		ObjectNode meta = request.meta().deepCopy();
		meta.put("status", EndpointResponse.ERROR);
		return new EndpointResponse(meta, null, messages);
	}

	private EndpointResponse internalError(EndpointRequest request) {
		return error(request, List.of(EndpointException.INTERNAL_ERROR_MESSAGE));
	}

	private EndpointResponse ok(EndpointRequest request, JsonNode data) {
		ObjectNode meta = request.meta().deepCopy();
		meta.put("status", EndpointResponse.OK);
		return new EndpointResponse(meta, data, List.of());
	}

	/** Runs the listeners' {@code onResponsePrepared}, writes and sends, then {@code onResponseSent}. */
	private void send(EndpointConnection connection, ConnectionState state, EndpointRequest request,
			EndpointResponse prepared) {
		EndpointResponse response = prepared;
		for (EndpointListener listener : this.listeners) {
			try {
				EndpointResponse replaced = listener.onResponsePrepared(connection, request, response);
				response = (replaced != null) ? replaced : response;
			}
			catch (RuntimeException ex) {
				logger.warn("Endpoint listener " + listener + " failed in onResponsePrepared for request "
						+ describe(connection, request) + "; the response is sent as it was", ex);
			}
		}
		if (state.closed) {
			return;
		}
		String text;
		try {
			text = this.envelopes.response(response);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not write the response to request " + describe(connection, request), ex);
			response = internalError(request);
			text = this.envelopes.response(response);
		}
		try {
			CompletableFuture<Void> sent = connection.sendText(text);
			if (sent != null) {
				if (!sent.isDone()) {
					sent.whenComplete((ignored, failure) -> logSendFailure(connection, failure));
				}
				else if (sent.isCompletedExceptionally()) {
					sent.whenComplete((ignored, failure) -> logSendFailure(connection, failure));
				}
			}
		}
		catch (RuntimeException ex) {
			logSendFailure(connection, ex);
			return;
		}
		for (EndpointListener listener : this.listeners) {
			try {
				listener.onResponseSent(connection, request, response);
			}
			catch (RuntimeException ex) {
				logger.warn("Endpoint listener " + listener + " failed in onResponseSent for request "
						+ describe(connection, request), ex);
			}
		}
	}

	private static void logSendFailure(EndpointConnection connection, @Nullable Throwable failure) {
		if (failure != null && logger.isDebugEnabled()) {
			logger.debug("Could not send a response on connection " + LogText.escape(connection.id()), failure);
		}
	}

	private static String describe(EndpointConnection connection, EndpointRequest request) {
		return "id " + LogText.escape(request.id(), 64) + " to " + LogText.escape(request.endpoint(), 128) + "/"
				+ LogText.escape(request.method(), 64) + " on connection " + LogText.escape(connection.id(), 64);
	}

	/**
	 * Whether two JSON values are equal: numbers by value ({@code 1} equals {@code 1.0}), lists
	 * and maps element by element.
	 */
	boolean jsonEquals(@Nullable Object expected, @Nullable Object actual) {
		if (expected instanceof JsonNode node) {
			return jsonEquals(this.mapper.convertValue(node, Object.class), actual);
		}
		if (actual instanceof JsonNode node) {
			return jsonEquals(expected, this.mapper.convertValue(node, Object.class));
		}
		if (expected instanceof Number expectedNumber && actual instanceof Number actualNumber) {
			return numbersEqual(expectedNumber, actualNumber);
		}
		if (expected instanceof Map<?, ?> expectedMap && actual instanceof Map<?, ?> actualMap) {
			if (expectedMap.size() != actualMap.size()) {
				return false;
			}
			for (Map.Entry<?, ?> entry : expectedMap.entrySet()) {
				if (!actualMap.containsKey(entry.getKey()) || !jsonEquals(entry.getValue(), actualMap.get(entry.getKey()))) {
					return false;
				}
			}
			return true;
		}
		if (expected instanceof List<?> expectedList && actual instanceof List<?> actualList) {
			if (expectedList.size() != actualList.size()) {
				return false;
			}
			for (int i = 0; i < expectedList.size(); i++) {
				if (!jsonEquals(expectedList.get(i), actualList.get(i))) {
					return false;
				}
			}
			return true;
		}
		if (expected instanceof Enum<?> constant) {
			return constant.name().equals(actual) || expected.equals(actual);
		}
		return Objects.equals(expected, actual);
	}

	private static boolean numbersEqual(Number expected, Number actual) {
		if (isIntegral(expected) && isIntegral(actual)) {
			return expected.longValue() == actual.longValue();
		}
		try {
			return new BigDecimal(expected.toString()).compareTo(new BigDecimal(actual.toString())) == 0;
		}
		catch (NumberFormatException ex) {
			// NaN or an infinity, which JSON does not have, but a Java setting may.
			return Double.compare(expected.doubleValue(), actual.doubleValue()) == 0;
		}
	}

	private static boolean isIntegral(Number number) {
		return number instanceof Integer || number instanceof Long || number instanceof Short
				|| number instanceof Byte;
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * One request being handled: routed to its method, answered once.
	 */
	private final class Call {

		private final EndpointConnection connection;

		private final ConnectionState state;

		private final EndpointRequest request;

		private final Route route;

		private final MethodDefinition method;

		/** Set once the request waits for something; {@code null} while it runs synchronously. */
		private @Nullable Pending pending;

		Call(EndpointConnection connection, ConnectionState state, EndpointRequest request, Route route,
				MethodDefinition method) {
			this.connection = connection;
			this.state = state;
			this.request = request;
			this.route = route;
			this.method = method;
		}

		/** Counts the request as pending; answers it and returns {@code false} when over the limit. */
		boolean becomePending() {
			if (this.pending != null) {
				return true;
			}
			Pending created = this.state.add(DefaultEndpointDispatcher.this.limits.maxPendingRequests());
			if (created == null) {
				DefaultEndpointDispatcher.this.limitObserver.limitExceeded(EndpointLimitObserver.PENDING_REQUESTS);
				answer(error(this.request, List.of("Too many pending requests (limit "
						+ DefaultEndpointDispatcher.this.limits.maxPendingRequests() + ").")));
				return false;
			}
			this.pending = created;
			// Closed meanwhile: nothing will be sent, so there is nothing to wait for.
			return !created.answered.get();
		}

		boolean isAnswered() {
			return this.pending != null && this.pending.answered.get();
		}

		/** Binds the body, calls the handler and answers, now or when its stage completes. */
		@SuppressWarnings("unchecked")
		void invoke() {
			Object result;
			try {
				Object body = null;
				if (this.method.requestType() != null) {
					EndpointHandler<?> handler = this.method.handler();
					JsonBinder.BodyParameter parameter = (handler instanceof AnnotatedPlugins.AnnotatedHandler annotated)
							? annotated.bodyParameter() : null;
					body = DefaultEndpointDispatcher.this.binder.bind(this.request.data(), this.method.requestType(),
							"data", parameter);
				}
				EndpointContext context = new EndpointContext(this.connection, this.request,
						DefaultEndpointDispatcher.this.multicaster);
				result = ((EndpointHandler<Object>) this.method.handler()).handle(context, body);
			}
			catch (Exception ex) {
				failed(ex);
				return;
			}
			if (result instanceof CompletionStage<?> stage) {
				if (stage instanceof CompletableFuture<?> future && future.isDone()) {
					completed(future);
					return;
				}
				if (!becomePending()) {
					return;
				}
				Pending waiting = this.pending;
				waiting.timer = DefaultEndpointDispatcher.this.scheduler.schedule(() -> {
					if (waiting.finish()) {
						DefaultEndpointDispatcher.this.limitObserver.limitExceeded(EndpointLimitObserver.REQUEST_TIMEOUT);
						send(this.connection, this.state, this.request,
								error(this.request, List.of(TIMEOUT_MESSAGE)));
					}
				}, DefaultEndpointDispatcher.this.limits.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
				stage.whenComplete((value, failure) -> {
					if (!waiting.finish()) {
						return;
					}
					if (failure != null) {
						failed(unwrap(failure));
					}
					else {
						succeeded(value);
					}
				});
				return;
			}
			finishAndSucceed(result);
		}

		private void completed(CompletableFuture<?> future) {
			Object value;
			try {
				value = future.join();
			}
			catch (CompletionException | CancellationException ex) {
				finishAndFail(unwrap(ex));
				return;
			}
			finishAndSucceed(value);
		}

		private void finishAndSucceed(@Nullable Object value) {
			if (this.pending == null || this.pending.finish()) {
				succeeded(value);
			}
		}

		private void finishAndFail(Throwable failure) {
			if (this.pending == null || this.pending.finish()) {
				failed(failure);
			}
		}

		/** Answers with a given response, once. */
		void answer(EndpointResponse response) {
			if (this.pending == null || this.pending.finish()) {
				send(this.connection, this.state, this.request, response);
			}
		}

		/** The handler's value: settings applied first, then the data is sent. */
		private void succeeded(@Nullable Object value) {
			Object data = value;
			JsonNode tree;
			try {
				if (value instanceof EndpointResult<?> result) {
					if (!result.settings().isEmpty()) {
						this.connection.settings().update(this.route.plugin().name(), result.settings());
					}
					data = result.response();
				}
				tree = (data instanceof JsonNode node) ? node : DefaultEndpointDispatcher.this.mapper.valueToTree(data);
				if (tree == null) {
					tree = NullNode.getInstance();
				}
			}
			catch (RuntimeException ex) {
				failed(ex);
				return;
			}
			send(this.connection, this.state, this.request, ok(this.request, tree));
		}

		/** The answer to an exception; the request is already finished. */
		private void failed(Throwable failure) {
			if (failure instanceof EndpointException endpointException) {
				send(this.connection, this.state, this.request,
						error(this.request, endpointException.getMessages()));
				return;
			}
			logger.warn("Endpoint method " + this.method.description() + " failed for request "
					+ describe(this.connection, this.request) + " (" + this.route.plugin().name() + ":"
					+ this.route.endpoint().name() + "/" + this.method.name() + ")", failure);
			send(this.connection, this.state, this.request, internalError(this.request));
		}

	}

	/**
	 * A request of a connection that waits for a check or a handler's stage.
	 */
	private static final class Pending {

		private final ConnectionState state;

		private final AtomicBoolean answered = new AtomicBoolean();

		/** The timer of what it waits for now; cancelled when it is answered or the connection closes. */
		volatile @Nullable ScheduledFuture<?> timer;

		Pending(ConnectionState state) {
			this.state = state;
		}

		/**
		 * Claims the right to answer.
		 * @return {@code true} the first time only, and never after the connection closed
		 */
		boolean finish() {
			if (!this.answered.compareAndSet(false, true)) {
				return false;
			}
			cancelTimer();
			this.state.remove(this);
			return true;
		}

		void cancelTimer() {
			ScheduledFuture<?> current = this.timer;
			if (current != null) {
				current.cancel(false);
			}
		}

	}

	/**
	 * What the dispatcher keeps per connection: its pending requests and whether it closed.
	 */
	private static final class ConnectionState {

		private final Set<Pending> pending = ConcurrentHashMap.newKeySet();

		private final AtomicInteger pendingCount = new AtomicInteger();

		volatile boolean closed;

		int pending() {
			return this.pendingCount.get();
		}

		@Nullable Pending add(int limit) {
			if (this.pendingCount.incrementAndGet() > limit) {
				this.pendingCount.decrementAndGet();
				return null;
			}
			Pending created = new Pending(this);
			this.pending.add(created);
			if (this.closed) {
				// Closed meanwhile: nothing will be sent, nothing must wait.
				created.answered.set(true);
				remove(created);
			}
			return created;
		}

		void remove(Pending finished) {
			if (this.pending.remove(finished)) {
				this.pendingCount.decrementAndGet();
			}
		}

		void close() {
			this.closed = true;
			for (Pending waiting : this.pending) {
				waiting.answered.set(true);
				waiting.cancelTimer();
				remove(waiting);
			}
		}

	}

	/** The last text parsed by {@link #isRequest} on a thread, with its tree. */
	private static final class ParsedText {

		private @Nullable String text;

		private @Nullable JsonNode tree;

		void set(String text, JsonNode tree) {
			this.text = text;
			this.tree = tree;
		}

		@Nullable JsonNode take(String text) {
			if (this.text != text) {
				return null;
			}
			JsonNode taken = this.tree;
			this.text = null;
			this.tree = null;
			return taken;
		}

	}

}
