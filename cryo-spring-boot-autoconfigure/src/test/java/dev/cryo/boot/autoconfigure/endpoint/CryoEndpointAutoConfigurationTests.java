package dev.cryo.boot.autoconfigure.endpoint;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.server.TokenValidator;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link CryoEndpointAutoConfiguration}: the endpoint exists only when exposed. */
class CryoEndpointAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class, CryoEndpointAutoConfiguration.class))
		.withBean(TokenValidator.class, TokenValidator::denyAll);

	@Test
	void notExposedByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CryoEndpoint.class));
	}

	@Test
	void exposedOverHttpWhenIncluded() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=cryo")
			.run((context) -> assertThat(context).hasSingleBean(CryoEndpoint.class));
	}

	@Test
	void aSingleNodeShowsItselfAsLocalWithoutACluster() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=cryo")
			.run((context) -> assertThat(context.getBean(CryoEndpoint.class).cryo().cluster())
				.isEqualTo(new CryoEndpoint.Cluster(false, "local")));
	}

	@Test
	void absentWhenAccessIsNone() {
		// Upper case: a bare context runner lacks Boot's lenient enum conversion ("none" works in an application).
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=cryo", "management.endpoint.cryo.access=NONE")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CryoEndpoint.class));
	}

	@Test
	void exposedOverJmxWhenIncluded() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=cryo")
			.run((context) -> assertThat(context).hasSingleBean(CryoEndpoint.class));
	}

	@Test
	void aSingleNodeWithoutTheRedisModuleStillHasTheEndpoint() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("dev.cryo.redis"))
			.withPropertyValues("management.endpoints.web.exposure.include=cryo")
			.run((context) -> assertThat(context.getBean(CryoEndpoint.class).cryo().cluster())
				.isEqualTo(CryoEndpoint.Cluster.SINGLE_NODE));
	}

	@Test
	void backsOffWithoutActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=cryo")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CryoEndpoint.class));
	}

	@Test
	void backsOffWhenCryoIsDisabled() {
		this.contextRunner.withPropertyValues("cryo.enabled=false", "management.endpoints.web.exposure.include=cryo")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CryoEndpoint.class));
	}

	@Test
	void userEndpointWins() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=cryo")
			.withBean("myCryoEndpoint", CryoEndpoint.class, () -> new CryoEndpoint(new dev.cryo.server.support.DefaultCryoServer(
					dev.cryo.server.CryoServerSettings.DEFAULTS, (event) -> {
					})))
			.run((context) -> assertThat(context).hasSingleBean(CryoEndpoint.class).hasBean("myCryoEndpoint"));
	}

}
