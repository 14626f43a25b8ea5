package dev.cryo.server.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.legacy.LegacyDialect;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.HandshakeDetails;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.observer.UpgradeRefusal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authentication step of the upgrade gate with real authenticators: the outcome, the
 * refusal message, failures, the timeout, a full pool, and where the step sits among the checks
 * of cryo-v1.md §2.3 and legacy-v0.md §10.1.
 */
class UpgradeGateAuthenticationTests {

	private static final Duration TIMEOUT = Duration.ofMillis(200);

	private final CryoSessionRegistry registry = new CryoSessionRegistry();

	private final List<UpgradeRefusal> refusals = new CopyOnWriteArrayList<>();

	private final CryoServerObserver observer = new CryoServerObserver() {

		@Override
		public void upgradeRejected(UpgradeRefusal refusal) {
			UpgradeGateAuthenticationTests.this.refusals.add(refusal);
		}

	};

	private final List<HandshakeDetails> asked = new CopyOnWriteArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void releaseBlockedValidators() {
		this.release.countDown();
	}

	@Test
	void anAuthenticatedUpgradeIsAcceptedAndItsReservationCarriesThePrincipal() {
		UpgradeGate gate = gate((handshake) -> CompletableFuture.completedFuture(CryoAuthentication
			.authenticated(new CryoPrincipal("alice"), Map.of("roles", List.of("admin")))));
		UpgradeGate.Decision decision = gate.decide(attempt("authorization=Bearer+t0ken&x-cryo-sid=7&room=lobby"));
		assertThat(decision).isInstanceOfSatisfying(UpgradeGate.Accepted.class, (accepted) -> {
			assertThat(accepted.reservation().principal()).isEqualTo(new CryoPrincipal("alice"));
			assertThat(accepted.reservation().authenticationAttributes()).containsEntry("roles", List.of("admin"));
		});
		assertThat(this.refusals).isEmpty();
	}

	@Test
	void theAuthenticatorSeesTokenParametersHeadersDialectAndPath() {
		UpgradeGate gate = gate(recording(CryoAuthentication.authenticated(new CryoPrincipal("bob"))));
		HttpHeaders headers = new HttpHeaders();
		headers.add("X-Tenant", "acme");
		gate.decide(new UpgradeGate.Attempt("/cryo", "authorization=Bearer+t0ken&x-cryo-sid=7&room=lobby", List.of(),
				null, null, headers));
		assertThat(this.asked).singleElement().satisfies((handshake) -> {
			assertThat(handshake.token()).isEqualTo("t0ken");
			assertThat(handshake.queryParameters()).containsOnlyKeys("x-cryo-sid", "room");
			assertThat(handshake.queryParameter("room")).isEqualTo("lobby");
			assertThat(handshake.headers().getFirst("x-tenant")).isEqualTo("acme");
			assertThat(handshake.dialect()).isEqualTo("cryo-v1");
			assertThat(handshake.path()).isEqualTo("/cryo");
			assertThat(handshake.toString()).doesNotContain("t0ken").doesNotContain("acme");
		});
	}

	@Test
	void aRefusalCarriesTheAuthenticatorsMessageEscapedAndBounded() {
		UpgradeGate gate = gate((handshake) -> CompletableFuture
			.completedFuture(CryoAuthentication.refused("Token <expired>\n" + "x".repeat(1000))));
		UpgradeGate.Decision decision = gate.decide(attempt("authorization=Bearer+old&x-cryo-sid=7"));
		assertThat(decision).isInstanceOfSatisfying(UpgradeGate.Refused.class, (refused) -> {
			assertThat(refused.refusal()).isEqualTo(UpgradeRefusal.INVALID_TOKEN);
			String body = new String(UpgradeGate.refusalBody(refused, null), StandardCharsets.UTF_8);
			assertThat(body).startsWith("<html><body><h1>401 Unauthorized</h1><p>Upgrade request for unknown was refused. "
					+ "Token &lt;expired&gt;\\n")
				.contains("more chars]")
				.hasSizeLessThan(400);
		});
		assertThat(this.refusals).containsExactly(UpgradeRefusal.INVALID_TOKEN);
		assertThat(this.registry.size()).isZero();
	}

	@Test
	void anAuthenticatorThatThrowsOrFailsRefusesWith401() {
		UpgradeGate throwing = gate((handshake) -> {
			throw new IllegalStateException("boom");
		});
		UpgradeGate failing = gate((handshake) -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
		UpgradeGate nothing = gate((handshake) -> null);
		for (UpgradeGate gate : List.of(throwing, failing, nothing)) {
			assertRefused(gate.decide(attempt("authorization=Bearer+t&x-cryo-sid=7")), UpgradeRefusal.INVALID_TOKEN,
					"Invalid bearer token in authorization query.");
		}
		assertThat(this.registry.size()).isZero();
	}

	@Test
	void anAuthenticatorThatDoesNotDecideInTimeRefusesWith401AndIsCancelled() {
		CompletableFuture<CryoAuthentication> pending = new CompletableFuture<>();
		UpgradeGate gate = gate((handshake) -> pending);
		long start = System.nanoTime();
		UpgradeGate.Decision decision = gate.decide(attempt("authorization=Bearer+t&x-cryo-sid=7"));
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertRefused(decision, UpgradeRefusal.AUTHENTICATION_TIMEOUT, "Authentication timed out.");
		assertThat(elapsedMillis).isBetween(TIMEOUT.toMillis() - 10, TIMEOUT.toMillis() + 1000);
		assertThat(pending).isCancelled();
		assertThat(this.refusals).containsExactly(UpgradeRefusal.AUTHENTICATION_TIMEOUT);
		assertThat(this.registry.size()).isZero();
	}

	@Test
	void aTokenValidatorRunsOffTheCallersThreadAndItsSessionsAreAnonymous() {
		AtomicReference<Thread> validatorThread = new AtomicReference<>();
		try (PooledAuthenticator authenticator = PooledAuthenticator.of((token) -> {
			validatorThread.set(Thread.currentThread());
			return token.equals("secret");
		}, 2, 2)) {
			UpgradeGate gate = gate(authenticator);
			assertThat(gate.decide(attempt("authorization=Bearer+secret&x-cryo-sid=7")))
				.isInstanceOfSatisfying(UpgradeGate.Accepted.class, (accepted) -> assertThat(
						accepted.reservation().principal()).isSameAs(CryoPrincipal.ANONYMOUS));
			assertThat(validatorThread.get()).isNotSameAs(Thread.currentThread());
			assertRefused(gate.decide(attempt("authorization=Bearer+wrong&x-cryo-sid=8")), UpgradeRefusal.INVALID_TOKEN,
					"Invalid bearer token in authorization query.");
		}
	}

	@Test
	void aFullValidatorPoolRefusesWith503AndASlowValidatorTimesOut() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		try (PooledAuthenticator authenticator = PooledAuthenticator.of((token) -> {
			started.countDown();
			awaitRelease();
			return true;
		}, 1, 1)) {
			UpgradeGate gate = gate(authenticator);
			// The one thread is taken first (directly, so that no upgrade deadline can skip the
			// task before a loaded machine starts it), then an upgrade waits in the one queue slot
			// until its deadline; the third attempt finds no room.
			CompletableFuture<?> running = authenticator.authenticate(details()).toCompletableFuture();
			assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
			assertRefused(gate.decide(attempt("authorization=Bearer+a&x-cryo-sid=1")),
					UpgradeRefusal.AUTHENTICATION_TIMEOUT, "Authentication timed out.");
			UpgradeGate.Decision decision = gate.decide(attempt("authorization=Bearer+c&x-cryo-sid=3"));
			assertRefused(decision, UpgradeRefusal.AUTHENTICATION_OVERLOADED, "Too many authentications in progress.");
			assertThat(((UpgradeGate.Refused) decision).refusal().status()).isEqualTo(503);
			assertThat(this.refusals).containsExactly(UpgradeRefusal.AUTHENTICATION_TIMEOUT,
					UpgradeRefusal.AUTHENTICATION_OVERLOADED);
			assertThat(running).isNotDone();
		}
		assertThat(this.registry.size()).isZero();
	}

	@Test
	void v1ChecksTheTokenBeforeTheSidIsReservedSoADuplicateIsNotRevealedToARefusedCaller() {
		assertThat(this.registry.reserve(SessionId.of(7))).isNotNull();
		UpgradeGate gate = gate(recording(CryoAuthentication.refused("No.")));
		assertRefused(gate.decide(attempt("authorization=Bearer+t&x-cryo-sid=7")), UpgradeRefusal.INVALID_TOKEN, "No.");
		assertThat(this.asked).hasSize(1);
	}

	@Test
	void theAuthenticatorIsNotAskedBeforeTheAuthorizationAndSidChecksPass() {
		UpgradeGate gate = gate(recording(CryoAuthentication.authenticated(new CryoPrincipal("x"))));
		assertRefused(gate.decide(attempt("x-cryo-sid=7")), UpgradeRefusal.NO_AUTH_DATA, "No auth data supplied.");
		assertRefused(gate.decide(attempt("authorization=Basic+x&x-cryo-sid=7")), UpgradeRefusal.INCORRECT_AUTH_TYPE,
				"Incorrect type of auth data supplied.");
		assertRefused(gate.decide(attempt("authorization=Bearer+")), UpgradeRefusal.INVALID_TOKEN,
				"Invalid bearer token in authorization query.");
		assertRefused(gate.decide(attempt("authorization=Bearer+t")), UpgradeRefusal.NO_SID, "No SID supplied.");
		assertRefused(gate.decide(attempt("authorization=Bearer+t&x-cryo-sid=abc")), UpgradeRefusal.INVALID_SID,
				"Invalid SID supplied.");
		assertThat(this.asked).isEmpty();
	}

	@Test
	void legacyReservesTheSidFirstAndReleasesItWhenTheAuthenticatorRefuses() {
		String sid = UUID.randomUUID().toString();
		UpgradeGate gate = new UpgradeGate(recording(CryoAuthentication.refused("Nope.")), TIMEOUT, this.registry,
				this.observer, new CryoDialects(List.of(LegacyDialect.INSTANCE)));
		assertRefused(gate.decide(attempt("authorization=Bearer+t&x-cryo-sid=" + sid)), UpgradeRefusal.INVALID_TOKEN,
				"Nope.");
		assertThat(this.asked).singleElement().satisfies((handshake) -> assertThat(handshake.dialect()).isEqualTo("legacy-v0"));
		assertThat(this.registry.size()).isZero();
		// A duplicate is named before the token is looked at (legacy-v0.md §10.1 rule 4).
		assertThat(this.registry.reserve(SessionId.of(UUID.fromString(sid)))).isNotNull();
		assertRefused(gate.decide(attempt("authorization=Bearer+t&x-cryo-sid=" + sid)), UpgradeRefusal.DUPLICATE_SID,
				"The session already exists.");
	}

	private UpgradeGate gate(CryoAuthenticator authenticator) {
		return new UpgradeGate(authenticator, TIMEOUT, this.registry, this.observer, CryoDialects.v1Only());
	}

	private CryoAuthenticator recording(CryoAuthentication outcome) {
		return (handshake) -> {
			this.asked.add(handshake);
			return CompletableFuture.completedFuture(outcome);
		};
	}

	private void awaitRelease() {
		try {
			this.release.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static HandshakeDetails details() {
		return new HandshakeDetails("b", Map.of(), new HttpHeaders(), null, "cryo-v1", "/cryo");
	}

	private static UpgradeGate.Attempt attempt(String rawQuery) {
		return new UpgradeGate.Attempt("/cryo", rawQuery, List.of(), null, null);
	}

	private static void assertRefused(UpgradeGate.Decision decision, UpgradeRefusal refusal, String message) {
		assertThat(decision).isInstanceOfSatisfying(UpgradeGate.Refused.class, (refused) -> {
			assertThat(refused.refusal()).isEqualTo(refusal);
			assertThat(refused.message()).isEqualTo(message);
		});
	}

}
