package dev.cryo.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.server.CryoServer;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.observer.SessionCloseCategory;
import dev.cryo.server.support.DefaultCryoServer;
import dev.cryo.server.web.CryoHandshakeInterceptor;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link CryoMetricsAutoConfiguration}: when the meters exist and how they are wired. */
class CryoMetricsAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class, CryoMetricsAutoConfiguration.class,
				MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class))
		.withBean(TokenValidator.class, TokenValidator::denyAll);

	@Test
	void withAMeterRegistryTheServerReportsToTheMeterObserver() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CryoMeterObserver.class).hasSingleBean(CryoSessionsMeterBinder.class);
			CryoServer server = context.getBean(CryoServer.class);
			assertThat(((DefaultCryoServer) server).sessionFactory().observer()).isSameAs(context.getBean(CryoMeterObserver.class));
			assertThat(context.getBean(CryoHandshakeInterceptor.class)).extracting("gate.observer")
				.isSameAs(context.getBean(CryoMeterObserver.class));
		});
	}

	@Test
	void theSendCompletionGaugesExistWithTomcatsProtocolAndNotWithout() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CryoTomcatMeterBinder.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// No web server in this context: nothing to count yet.
			assertThat(registry.get("cryo.tomcat.send-completions.threads").gauge().value()).isZero();
			assertThat(registry.get("cryo.tomcat.send-completions.busy").gauge().value()).isZero();
		});
		this.contextRunner.withPropertyValues("cryo.tomcat.separate-send-completions=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CryoTomcatMeterBinder.class));
	}

	@Test
	void registersEveryMeterUpFrontWithZeroes() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (String dialect : new String[] { "cryo-v1", "camp", "legacy-v0" }) {
				assertThat(registry.get("cryo.sessions.active").tag("dialect", dialect).gauge().value()).isZero();
				assertThat(registry.get("cryo.sessions.opened").tag("dialect", dialect).counter().count()).isZero();
				assertThat(registry.get("cryo.sessions.closed")
					.tag("reason", "peer-bye")
					.tag("dialect", dialect)
					.counter()
					.count()).isZero();
			}
			assertThat(registry.get("cryo.frames.received").tag("type", "utf8data").counter().count()).isZero();
			assertThat(registry.get("cryo.frames.received").tag("type", "malformed").counter().count()).isZero();
			assertThat(registry.get("cryo.frames.sent").tag("type", "ping_pong").counter().count()).isZero();
			assertThat(registry.get("cryo.frames.dropped").tag("policy", "dedupe-latest").counter().count()).isZero();
			assertThat(registry.get("cryo.upgrades.rejected").tag("reason", "invalid-token").counter().count())
				.isZero();
			assertThat(registry.get("cryo.ack.rtt").timer().count()).isZero();
			assertThat(registry.get("cryo.acks.timeout").counter().count()).isZero();
			assertThat(registry.get("cryo.bytes.received").counter().count()).isZero();
			assertThat(registry.get("cryo.bytes.sent").counter().count()).isZero();
			assertThat(registry.get("cryo.transactions.bytes.received").counter().count()).isZero();
			assertThat(registry.get("cryo.transactions.bytes.sent").counter().count()).isZero();
			assertThat(registry.get("cryo.limits.exceeded").tag("limit", "reassembly-budget").counter().count())
				.isZero();
			assertThat(registry.get("cryo.limits.exceeded").tag("limit", "expedited-frames").counter().count())
				.isZero();
			assertThat(registry.get("cryo.sessions.closed").tag("reason", "overload").counter().count()).isZero();
			assertThat(registry.get("cryo.reassembly.bytes").gauge().value()).isZero();
			assertThat(registry.get("cryo.groups.active").gauge().value()).isZero();
			assertThat(registry.get("cryo.groups.memberships").gauge().value()).isZero();
			// Tags come from fixed sets only: nothing per session, token or address.
			assertThat(registry.getMeters()).filteredOn((meter) -> meter.getId().getName().startsWith("cryo."))
				.allSatisfy((meter) -> assertThat(meter.getId().getTags())
					.allSatisfy((tag) -> assertThat(tag.getKey()).isIn("type", "policy", "reason", "limit", "dialect")));
			// The dialect tag takes the names of the server's dialects, nothing else.
			assertThat(registry.getMeters()).flatExtracting((meter) -> meter.getId().getTags())
				.filteredOn((tag) -> tag.getKey().equals("dialect"))
				.extracting((tag) -> tag.getValue())
				.containsOnly("cryo-v1", "camp", "legacy-v0");
		});
	}

	@Test
	void sessionMetersHaveOneSeriesPerDialectOfTheServer() {
		this.contextRunner.withPropertyValues("cryo.dialects.camp.enabled=false", "cryo.dialects.legacy.enabled=false")
			.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("cryo.sessions.active").gauges()).singleElement()
				.satisfies((gauge) -> assertThat(gauge.getId().getTag("dialect")).isEqualTo("cryo-v1"));
			assertThat(registry.find("cryo.sessions.opened").counters()).singleElement()
				.satisfies((counter) -> assertThat(counter.getId().getTag("dialect")).isEqualTo("cryo-v1"));
			assertThat(registry.find("cryo.sessions.closed").tag("dialect", "camp").counters()).isEmpty();
			assertThat(registry.find("cryo.sessions.closed").tag("dialect", "legacy-v0").counters()).isEmpty();
		});
	}

	@Test
	void sessionsAreCountedUnderTheirDialect() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			CryoMeterObserver observer = context.getBean(CryoMeterObserver.class);
			observer.sessionOpened("camp");
			observer.sessionOpened("camp");
			observer.sessionOpened("cryo-v1");
			observer.sessionClosed(SessionCloseCategory.PEER_BYE, "camp");
			assertThat(registry.get("cryo.sessions.opened").tag("dialect", "camp").counter().count()).isEqualTo(2);
			assertThat(registry.get("cryo.sessions.opened").tag("dialect", "cryo-v1").counter().count()).isEqualTo(1);
			assertThat(registry.get("cryo.sessions.closed").tag("dialect", "camp").tag("reason", "peer-bye").counter().count())
				.isEqualTo(1);
			assertThat(registry.get("cryo.sessions.closed").tag("dialect", "cryo-v1").tag("reason", "peer-bye").counter().count())
				.isZero();
		});
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core")).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(CryoServer.class)
				.doesNotHaveBean(CryoMeterObserver.class)
				.doesNotHaveBean(CryoSessionsMeterBinder.class);
			assertThat(((DefaultCryoServer) context.getBean(CryoServer.class)).sessionFactory().observer()).isSameAs(CryoServerObserver.NOOP);
		});
	}

	@Test
	void backsOffWithoutAMeterRegistryBean() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class, CryoMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(CryoServer.class)
				.doesNotHaveBean(CryoMeterObserver.class));
	}

	@Test
	void backsOffWhenCryoIsDisabled() {
		this.contextRunner.withPropertyValues("cryo.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(CryoServer.class)
				.doesNotHaveBean(CryoMeterObserver.class)
				.doesNotHaveBean(CryoSessionsMeterBinder.class));
	}

	@Test
	void userObserverWinsAndOtherObserversAreCombined() {
		CryoMeterObserver own = new CryoMeterObserver(new SimpleMeterRegistry());
		CryoServerObserver extra = new CryoServerObserver() {
		};
		this.contextRunner.withBean("ownMeterObserver", CryoMeterObserver.class, () -> own)
			.withBean("extraObserver", CryoServerObserver.class, () -> extra)
			.run((context) -> {
				assertThat(context).getBean(CryoMeterObserver.class).isSameAs(own);
				CryoServerObserver observer = ((DefaultCryoServer) context.getBean(CryoServer.class)).sessionFactory().observer();
				assertThat(observer).isNotSameAs(own).isNotSameAs(extra);
				assertThat(observer.getClass().getSimpleName()).isEqualTo("CompositeCryoServerObserver");
			});
	}

}
