package dev.cryo.endpoint.support;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

import dev.cryo.endpoint.BinaryHandler;
import dev.cryo.endpoint.CryoPlugin;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointMapping;
import dev.cryo.endpoint.EndpointRequest;
import dev.cryo.endpoint.EndpointResponse;
import dev.cryo.endpoint.EndpointResult;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.RequirementCheck;
import dev.cryo.endpoint.Requirements;
import dev.cryo.endpoint.Requires;
import dev.cryo.server.CryoPrincipal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DefaultEndpointDispatcher}.
 */
class DefaultEndpointDispatcherTests {

	private static final DispatcherLimits LIMITS = new DispatcherLimits(4096, 3, Duration.ofMillis(300),
			Duration.ofMillis(150));

	private final JsonBinder binder = EngineTestSupport.binder();

	private final DefaultEndpointRegistry registry = new DefaultEndpointRegistry();

	private final ConnectionRegister register = new ConnectionRegister();

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	private final BlockingQueue<CompletableFuture<Object>> stages = new LinkedBlockingQueue<>();

	private final EngineTestConnection connection = new EngineTestConnection("c1");

	private DefaultEndpointDispatcher dispatcher;

	DefaultEndpointDispatcherTests() {
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.registry.register(PluginDefinition.builder("greeter")
			.endpoint("hello", (endpoint) -> endpoint.alias("hi")
				.method("read", Person.class, (context, body) -> Map.of("greeting", "Hello, " + body.name() + "!"))
				.method("fail", null, (context, body) -> {
					throw new EndpointException("not today");
				})
				.method("crash", null, (context, body) -> {
					throw new IllegalStateException("secret detail");
				})
				.method("echo", null, (context, body) -> context.request().data())
				.method("later", null, (context, body) -> {
					CompletableFuture<Object> stage = new CompletableFuture<>();
					this.stages.add(stage);
					return stage;
				})
				.method("done", null, (context, body) -> CompletableFuture.completedFuture("already")))
			.build());
		this.registry.register(PluginDefinition.builder("auth")
			.endpoint("login", (endpoint) -> endpoint
				.method("create", null, (context, body) -> EndpointResult.of("welcome").withSetting("authenticated", true))
				.method("later", null, (context, body) -> CompletableFuture
					.supplyAsync(() -> EndpointResult.of("later").withSetting("authenticated", true))))
			.build());
		this.registry.register(PluginDefinition.builder("refuse")
			.endpoint("it", (endpoint) -> endpoint.method("create", null,
					(context, body) -> EndpointResult.of("never").withSetting("x", 1)))
			.build());
		this.dispatcher = dispatcher(List.of(), LIMITS);
	}

	@AfterEach
	void stopScheduler() {
		this.scheduler.shutdownNow();
	}

	private DefaultEndpointDispatcher dispatcher(List<EndpointListener> listeners, DispatcherLimits limits) {
		return new DefaultEndpointDispatcher(this.registry, this.binder,
				new SettingsFactory(this.registry, this.binder, listeners), this.register, (filter, type, data) -> 0,
				listeners, (principal) -> principal.getName().equals("admin") ? List.of("ROLE_ADMIN", "ROLE_USER")
						: List.of("ROLE_USER"),
				limits, this.scheduler);
	}

	private JsonNode call(String json) throws InterruptedException {
		this.dispatcher.dispatch(this.connection, json);
		return this.connection.next();
	}

	private JsonNode call(String id, String endpoint, String method, String data) throws InterruptedException {
		return call(request(id, endpoint, method, data));
	}

	private static String request(String id, String endpoint, String method, String data) {
		return "{\"meta\":{\"id\":\"" + id + "\",\"endpoint\":\"" + endpoint + "\",\"method\":\"" + method
				+ "\"},\"data\":" + data + "}";
	}

	private JsonNode json(String text) {
		return this.binder.mapper().readTree(text);
	}

	@Test
	void answersWithTheRequestsMetaAndData() throws InterruptedException {
		JsonNode response = call("1", "greeter:hello", "read", "{\"name\":\"Ann\"}");
		assertThat(response).isEqualTo(json("""
				{"meta":{"id":"1","endpoint":"greeter:hello","method":"read","status":"ok"},
				 "data":{"greeting":"Hello, Ann!"}}"""));
		assertThat(call("2", "hi", "read", "{\"name\":\"Bob\"}").at("/data/greeting").asString())
			.isEqualTo("Hello, Bob!");
	}

	@Test
	void aMethodWithoutRequestTypeIgnoresNothingButBindsNothing() throws InterruptedException {
		assertThat(call("1", "greeter:hello", "echo", "[1,2]").get("data")).isEqualTo(json("[1,2]"));
		assertThat(call("{\"meta\":{\"id\":\"2\",\"endpoint\":\"greeter:hello\",\"method\":\"echo\"}}").get("data")
			.isNull()).isTrue();
	}

	@Test
	void tooLargeIsRefusedWithoutParsing() throws InterruptedException {
		String large = request("1", "greeter:hello", "read", "\"" + "x".repeat(5000) + "\"");
		assertThat(this.dispatcher.isRequest(large)).isTrue();
		assertThat(call(large)).isEqualTo(json("""
				{"meta":{"status":"error"},"error":"Request too large (limit 4096 characters)."}"""));
	}

	@Test
	void unreadableRequestsAreAnsweredWithoutClosing() throws InterruptedException {
		assertThat(call("{\"meta\":")).isEqualTo(json("{\"meta\":{\"status\":\"error\"},\"error\":\"Invalid JSON.\"}"));
		assertThat(call("[1]").get("error").asString()).isEqualTo("Missing meta.");
		assertThat(call("{\"meta\":1}").get("error").asString()).isEqualTo("Missing meta.");
		assertThat(call("{\"meta\":{\"id\":\"3\",\"method\":\"read\"}}")).isEqualTo(json("""
				{"meta":{"id":"3","method":"read","status":"error"},"error":"Missing meta.endpoint."}"""));
		assertThat(call("{\"meta\":{\"id\":\"4\",\"endpoint\":7,\"method\":\"read\"}}").get("error").asString())
			.isEqualTo("Missing meta.endpoint.");
		assertThat(call("{\"meta\":{\"id\":\"5\",\"endpoint\":\"greeter:hello\"}}")).isEqualTo(json("""
				{"meta":{"id":"5","endpoint":"greeter:hello","status":"error"},"error":"Missing meta.method."}"""));
		assertThat(this.connection.isOpen()).isTrue();
	}

	@Test
	void unknownEndpointsAndMethodsAreNamedEscaped() throws InterruptedException {
		JsonNode unknown = call("1", "nope:x\\n", "read", "null");
		assertThat(unknown.at("/meta/id").asString()).isEqualTo("1");
		assertThat(unknown.get("error").asString()).isEqualTo("Unknown endpoint 'nope:x\\n'.");
		assertThat(call("2", "greeter:hello", "delete", "null").get("error").asString())
			.isEqualTo("Unknown method 'delete' for endpoint 'greeter:hello'.");
		String longName = "a".repeat(1000);
		assertThat(call("3", longName, "read", "null").get("error").asString()).hasSizeLessThan(200)
			.contains("more chars");
	}

	@Test
	void everyValidationProblemIsAnswered() throws InterruptedException {
		JsonNode response = call("1", "greeter:hello", "read", "{\"name\":\"\",\"email\":\"x\"}");
		assertThat(response.at("/meta/status").asString()).isEqualTo("error");
		assertThat(response.at("/meta/id").asString()).isEqualTo("1");
		assertThat(response.get("error")).isEqualTo(json("""
				["data.email: must be a well-formed email address","data.name: must not be blank"]"""));
		assertThat(call("2", "greeter:hello", "read", "{\"name\":3}").get("error").asString())
			.isEqualTo("data.name: must be a string");
	}

	@Test
	void handlerExceptionsAreAnswered() throws InterruptedException {
		assertThat(call("1", "greeter:hello", "fail", "null")).isEqualTo(json("""
				{"meta":{"id":"1","endpoint":"greeter:hello","method":"fail","status":"error"},"error":"not today"}"""));
		JsonNode crash = call("2", "greeter:hello", "crash", "null");
		assertThat(crash.at("/meta/id").asString()).isEqualTo("2");
		assertThat(crash.get("error").asString()).isEqualTo(EndpointException.INTERNAL_ERROR_MESSAGE);
	}

	@Test
	void settingsRequirementsUseJsonEquality() throws InterruptedException {
		register("secure", Requirements.none().andSetting("auth.authenticated", true).andSetting("auth.level", 1));
		assertThat(call("1", "secure:it", "read", "null").get("error").asString()).isEqualTo(Requires.UNMET_MESSAGE);
		this.connection.settings.set("auth", "authenticated", true);
		this.connection.settings.set("auth", "level", 1.0);
		assertThat(call("2", "secure:it", "read", "null").get("data").asString()).isEqualTo("secret");
	}

	@Test
	void authenticatedNeedsANamedPrincipal() throws InterruptedException {
		register("secure", Requirements.none().andAuthenticated());
		assertThat(call("1", "secure:it", "read", "null").get("error").asString()).isEqualTo(Requires.UNMET_MESSAGE);
		this.connection.setPrincipal(CryoPrincipal.ANONYMOUS);
		assertThat(call("2", "secure:it", "read", "null").get("error").asString()).isEqualTo(Requires.UNMET_MESSAGE);
		this.connection.setPrincipal(new CryoPrincipal("ann"));
		assertThat(call("3", "secure:it", "read", "null").get("data").asString()).isEqualTo("secret");
	}

	@Test
	void authoritiesComeFromTheResolver() throws InterruptedException {
		register("secure", Requirements.none().andAuthorities("ROLE_ADMIN"));
		this.connection.setPrincipal(new CryoPrincipal("ann"));
		assertThat(call("1", "secure:it", "read", "null").get("error").asString()).isEqualTo(Requires.UNMET_MESSAGE);
		this.connection.setPrincipal(new CryoPrincipal("admin"));
		assertThat(call("2", "secure:it", "read", "null").get("data").asString()).isEqualTo("secret");
	}

	@Test
	void checksAreAskedInOrderAsynchronously() throws InterruptedException {
		List<String> asked = new CopyOnWriteArrayList<>();
		RequirementCheck yes = (connection, request) -> {
			asked.add("yes " + request.id());
			return CompletableFuture.supplyAsync(() -> true);
		};
		RequirementCheck no = (connection, request) -> {
			asked.add("no " + request.id());
			return CompletableFuture.completedFuture(false);
		};
		register("open", Requirements.none().andCheck(yes).andCheck(yes));
		register("closed", Requirements.none().andCheck(no).andCheck(yes));
		assertThat(call("1", "open:it", "read", "null").get("data").asString()).isEqualTo("secret");
		assertThat(call("2", "closed:it", "read", "null").get("error").asString()).isEqualTo(Requires.UNMET_MESSAGE);
		assertThat(asked).containsExactly("yes 1", "yes 1", "no 2");
	}

	@Test
	void failingThrowingAndSlowChecksAreUnmet() throws InterruptedException {
		register("failing", Requirements.none()
			.andCheck((connection, request) -> CompletableFuture.failedFuture(new IllegalStateException("down"))));
		register("throwing", Requirements.none().andCheck((connection, request) -> {
			throw new IllegalStateException("bug");
		}));
		register("slow", Requirements.none().andCheck((connection, request) -> new CompletableFuture<>()));
		assertThat(call("1", "failing:it", "read", "null").get("error").asString()).isEqualTo(Requires.UNMET_MESSAGE);
		assertThat(call("2", "throwing:it", "read", "null").get("error").asString()).isEqualTo(Requires.UNMET_MESSAGE);
		long start = System.nanoTime();
		JsonNode slow = call("3", "slow:it", "read", "null");
		assertThat(slow.get("error").asString()).isEqualTo(Requires.UNMET_MESSAGE);
		assertThat(slow.at("/meta/id").asString()).isEqualTo("3");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(140));
	}

	@Test
	void resultSettingsAreAppliedBeforeTheResponse() throws InterruptedException {
		assertThat(call("1", "auth:login", "create", "null").get("data").asString()).isEqualTo("welcome");
		assertThat(this.connection.events).containsExactly("settings {authenticated=true}", "sent");
		assertThat(this.connection.settings.get("auth", "authenticated")).isEqualTo(true);
		this.connection.events.clear();
		assertThat(call("2", "auth:login", "later", "null").get("data").asString()).isEqualTo("later");
		assertThat(this.connection.events).containsExactly("settings {authenticated=true}", "sent");
	}

	@Test
	void refusedResultSettingsAnswerAnError() throws InterruptedException {
		JsonNode response = call("1", "refuse:it", "create", "null");
		assertThat(response.get("error").asString()).isEqualTo("settings refused");
		assertThat(response.at("/meta/id").asString()).isEqualTo("1");
	}

	@Test
	void stagesAreAnsweredWhenTheyComplete() throws InterruptedException {
		assertThat(call("0", "greeter:hello", "done", "null").get("data").asString()).isEqualTo("already");
		this.dispatcher.dispatch(this.connection, request("1", "greeter:hello", "later", "null"));
		this.dispatcher.dispatch(this.connection, request("2", "greeter:hello", "later", "null"));
		CompletableFuture<Object> first = this.stages.take();
		CompletableFuture<Object> second = this.stages.take();
		assertThat(this.connection.sent).isEmpty();
		CompletableFuture.runAsync(() -> second.completeExceptionally(new CompletionException(new EndpointException("no"))));
		JsonNode failed = this.connection.next();
		assertThat(failed.at("/meta/id").asString()).isEqualTo("2");
		assertThat(failed.get("error").asString()).isEqualTo("no");
		CompletableFuture.runAsync(() -> first.complete(Map.of("late", true)));
		JsonNode ok = this.connection.next();
		assertThat(ok.at("/meta/id").asString()).isEqualTo("1");
		assertThat(ok.at("/data/late").asBoolean()).isTrue();
	}

	@Test
	void aStageThatDoesNotCompleteTimesOut() throws InterruptedException {
		long start = System.nanoTime();
		JsonNode response = call("1", "greeter:hello", "later", "null");
		assertThat(response.get("error").asString()).isEqualTo("Request timed out.");
		assertThat(response.at("/meta/id").asString()).isEqualTo("1");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
		// Completing it afterwards sends nothing more.
		this.stages.take().complete("late");
		assertThat(this.connection.sent.poll(100, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void tooManyPendingRequestsAreRefusedAtOnce() throws InterruptedException {
		this.dispatcher = dispatcher(List.of(), new DispatcherLimits(4096, 3, Duration.ofSeconds(30),
				Duration.ofSeconds(5)));
		for (int i = 1; i <= 3; i++) {
			this.dispatcher.dispatch(this.connection, request(String.valueOf(i), "greeter:hello", "later", "null"));
		}
		assertThat(this.connection.sent).isEmpty();
		assertThat(call("4", "greeter:hello", "later", "null")).isEqualTo(json("""
				{"meta":{"id":"4","endpoint":"greeter:hello","method":"later","status":"error"},
				 "error":"Too many pending requests (limit 3)."}"""));
		this.stages.take().complete("one");
		assertThat(this.connection.next().at("/meta/id").asString()).isEqualTo("1");
		assertThat(call("5", "greeter:hello", "echo", "5").get("data").asInt()).isEqualTo(5);
	}

	@Test
	void closingDropsPendingResponsesAndCancelsTimers() throws InterruptedException {
		this.dispatcher.opened(this.connection);
		this.dispatcher.dispatch(this.connection, request("1", "greeter:hello", "later", "null"));
		CompletableFuture<Object> stage = this.stages.take();
		assertThat(this.scheduler.getQueue()).hasSize(1);
		this.connection.setOpen(false);
		this.dispatcher.closed(this.connection);
		assertThat(this.scheduler.getQueue()).isEmpty();
		stage.complete("too late");
		assertThat(this.connection.sent).isEmpty();
		this.dispatcher.dispatch(this.connection, request("2", "greeter:hello", "echo", "null"));
		assertThat(this.connection.sent).isEmpty();
	}

	@Test
	void listenersSeeTheConnectionsLifecycle() {
		List<String> seen = new CopyOnWriteArrayList<>();
		EndpointListener listener = new EndpointListener() {

			@Override
			public void onConnectionOpened(EndpointConnection connection) {
				seen.add("opened registered=" + DefaultEndpointDispatcherTests.this.register.connections()
					.contains(connection));
			}

			@Override
			public void onConnectionClosed(EndpointConnection connection) {
				seen.add("closed registered=" + DefaultEndpointDispatcherTests.this.register.connections()
					.contains(connection));
			}

		};
		this.dispatcher = dispatcher(List.of(listener), LIMITS);
		this.dispatcher.opened(this.connection);
		this.dispatcher.closed(this.connection);
		this.dispatcher.closed(this.connection);
		assertThat(seen).containsExactly("opened registered=true", "closed registered=false");
	}

	@Test
	void listenersTransformRequestsAndResponsesInOrder() throws InterruptedException {
		List<String> seen = new CopyOnWriteArrayList<>();
		EndpointListener retarget = new EndpointListener() {

			@Override
			public EndpointRequest onRequestReceived(EndpointConnection connection, EndpointRequest request) {
				seen.add("first received " + request.method());
				return request.withTarget("greeter:hello", "echo").withData(StringNode.valueOf("changed"));
			}

			@Override
			public EndpointResponse onResponsePrepared(EndpointConnection connection, EndpointRequest request,
					EndpointResponse response) {
				seen.add("first prepared " + response.data());
				return response.withData(StringNode.valueOf("first"));
			}

		};
		EndpointListener observe = new EndpointListener() {

			@Override
			public EndpointRequest onRequestReceived(EndpointConnection connection, EndpointRequest request) {
				seen.add("second received " + request.method());
				return request;
			}

			@Override
			public EndpointResponse onResponsePrepared(EndpointConnection connection, EndpointRequest request,
					EndpointResponse response) {
				seen.add("second prepared " + response.data());
				return response.withData(StringNode.valueOf("second"));
			}

			@Override
			public void onResponseSent(EndpointConnection connection, EndpointRequest request,
					EndpointResponse response) {
				seen.add("sent " + response.data() + " after " + DefaultEndpointDispatcherTests.this.connection.sent
					.size() + " message");
			}

		};
		this.dispatcher = dispatcher(List.of(retarget, observe), LIMITS);
		JsonNode response = call("1", "greeter:hello", "fail", "null");
		assertThat(response).isEqualTo(json("""
				{"meta":{"id":"1","endpoint":"greeter:hello","method":"fail","status":"ok"},"data":"second"}"""));
		assertThat(seen).containsExactly("first received fail", "second received echo", "first prepared \"changed\"",
				"second prepared \"first\"", "sent \"second\" after 1 message");
	}

	@Test
	void throwingListenersAreContained() throws InterruptedException {
		EndpointListener throwingOnRequest = new EndpointListener() {

			@Override
			public EndpointRequest onRequestReceived(EndpointConnection connection, EndpointRequest request) {
				throw new IllegalStateException("listener bug");
			}

		};
		this.dispatcher = dispatcher(List.of(throwingOnRequest), LIMITS);
		JsonNode response = call("1", "greeter:hello", "echo", "1");
		assertThat(response.get("error").asString()).isEqualTo(EndpointException.INTERNAL_ERROR_MESSAGE);
		assertThat(response.at("/meta/id").asString()).isEqualTo("1");
		EndpointListener throwingOnResponse = new EndpointListener() {

			@Override
			public EndpointResponse onResponsePrepared(EndpointConnection connection, EndpointRequest request,
					EndpointResponse prepared) {
				throw new IllegalStateException("listener bug");
			}

		};
		this.dispatcher = dispatcher(List.of(throwingOnResponse), LIMITS);
		assertThat(call("2", "greeter:hello", "echo", "2").get("data").asInt()).isEqualTo(2);
	}

	@Test
	void anUnreadableRequestReachesOnResponsePreparedWithAnEmptyTarget() throws InterruptedException {
		List<String> seen = new ArrayList<>();
		EndpointListener listener = new EndpointListener() {

			@Override
			public EndpointResponse onResponsePrepared(EndpointConnection connection, EndpointRequest request,
					EndpointResponse response) {
				seen.add("[" + request.endpoint() + "][" + request.method() + "] " + response.errors());
				return response;
			}

		};
		this.dispatcher = dispatcher(List.of(listener), LIMITS);
		call("nonsense");
		assertThat(seen).containsExactly("[][] [Invalid JSON.]");
	}

	@Test
	void binaryMessagesReachTheHandlerWhenRequirementsAreMet() throws InterruptedException {
		assertThat(this.dispatcher.hasBinaryHandler()).isFalse();
		this.dispatcher.dispatchBinary(this.connection, ByteBuffer.allocate(1));
		BlockingQueue<Byte> received = new LinkedBlockingQueue<>();
		AtomicInteger checks = new AtomicInteger();
		this.registry.register(PluginDefinition.builder("files")
			.binaryHandler(Requirements.none().andSetting("auth.authenticated", true).andCheck((c, r) -> {
				checks.incrementAndGet();
				return CompletableFuture.supplyAsync(() -> true);
			}), (connection, payload) -> {
				received.add(payload.get(0));
				if (payload.get(0) == 9) {
					throw new IllegalStateException("handler bug");
				}
			})
			.build());
		assertThat(this.dispatcher.hasBinaryHandler()).isTrue();
		this.dispatcher.dispatchBinary(this.connection, ByteBuffer.wrap(new byte[] { 1 }));
		assertThat(this.connection.notifications)
			.containsExactly(Map.entry(BinaryHandler.REJECTED_TYPE, Map.of("message", Requires.UNMET_MESSAGE)));
		assertThat(checks).hasValue(0);
		this.connection.settings.set("auth", "authenticated", true);
		ByteBuffer reused = ByteBuffer.wrap(new byte[] { 2 });
		this.dispatcher.dispatchBinary(this.connection, reused);
		reused.put(0, (byte) 3);
		assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo((byte) 2);
		this.dispatcher.dispatchBinary(this.connection, ByteBuffer.wrap(new byte[] { 9 }));
		assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo((byte) 9);
		assertThat(this.connection.notifications).hasSize(1);
	}

	@Test
	void aThousandRequestsOnOneConnectionAreAnsweredInOrder() throws InterruptedException {
		for (int i = 0; i < 1000; i++) {
			this.dispatcher.dispatch(this.connection, request("r" + i, "greeter:hello", "echo", String.valueOf(i)));
		}
		for (int i = 0; i < 1000; i++) {
			JsonNode response = this.connection.next();
			assertThat(response.at("/meta/id").asString()).isEqualTo("r" + i);
			assertThat(response.get("data").asInt()).isEqualTo(i);
		}
	}

	@Test
	void aThousandAsynchronousRequestsAreAnsweredWithTheirIds() throws InterruptedException {
		this.dispatcher = dispatcher(List.of(), new DispatcherLimits(4096, 1000, Duration.ofSeconds(30),
				Duration.ofSeconds(5)));
		var executor = Executors.newFixedThreadPool(4);
		try {
			for (int i = 0; i < 1000; i++) {
				this.dispatcher.dispatch(this.connection, request("r" + i, "greeter:hello", "later", "null"));
				CompletableFuture<Object> stage = this.stages.take();
				String value = "v" + i;
				executor.execute(() -> stage.complete(value));
			}
			List<String> answered = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				JsonNode response = this.connection.next();
				assertThat(response.get("data").asString()).isEqualTo("v" + response.at("/meta/id").asString().substring(1));
				answered.add(response.at("/meta/id").asString());
			}
			assertThat(answered).doesNotHaveDuplicates().hasSize(1000);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void isRequestClaimsOnlyEnvelopesWithAnEndpoint() {
		assertThat(this.dispatcher.isRequest(request("1", "greeter:hello", "read", "null"))).isTrue();
		assertThat(this.dispatcher.isRequest("{\"meta\":{\"id\":\"1\"}}")).isFalse();
		assertThat(this.dispatcher.isRequest("{\"meta\":{\"endpoint\":1}}")).isFalse();
		assertThat(this.dispatcher.isRequest("{\"event\":\"chat\"}")).isFalse();
		assertThat(this.dispatcher.isRequest("[{\"meta\":{\"endpoint\":\"a\"}}]")).isFalse();
		assertThat(this.dispatcher.isRequest("{\"meta\":")).isFalse();
		assertThat(this.dispatcher.isRequest("hello")).isFalse();
		assertThat(this.dispatcher.isRequest(" {" + " ".repeat(5000) + "}")).isTrue();
		assertThat(this.dispatcher.isRequest("[" + " ".repeat(5000) + "]")).isFalse();
	}

	@Test
	void annotatedHandlersAreDispatchedWithTheirBodyConstraints() throws InterruptedException {
		AnnotatedPlugins plugins = new AnnotatedPlugins(this.registry, this.binder, (filter, type, data) -> 0,
				(name) -> null);
		this.registry.register(plugins.definitionOf(new MailPlugin()));
		assertThat(call("1", "mail:send", "create", "\"nope\"").get("error").asString())
			.isEqualTo("data: must be a well-formed email address");
		JsonNode ok = call("2", "mail:send", "create", "\"a@example.com\"");
		assertThat(ok.at("/meta/status").asString()).isEqualTo("ok");
		assertThat(ok.get("data").isNull()).isTrue();
	}

	private void register(String plugin, Requirements requirements) {
		this.registry.register(PluginDefinition.builder(plugin)
			.endpoint("it", (endpoint) -> endpoint.method("read", null, requirements, (context, body) -> "secret"))
			.build());
	}

	record Person(@NotBlank String name, @Email String email) {

	}

	@CryoPlugin("mail")
	static class MailPlugin {

		@EndpointMapping(endpoint = "send", method = "create")
		void send(@Email String to) {
		}

	}

}
