package dev.cryo.boot.autoconfigure.clientscript;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the JavaScript client is served and where: the conditions of
 * {@link CryoClientScriptAutoConfiguration}. What a browser gets is in
 * {@code ClientScriptEndToEndTests}.
 */
class CryoClientScriptAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoClientScriptAutoConfiguration.class));

	@Test
	void servesTheClientUnderSlashCryoClientByDefault() {
		this.contextRunner.run((context) -> assertThat(registration(context.getBean(ServletRegistrationBean.class)))
			.isEqualTo("/cryo-client/*"));
	}

	@Test
	void pathIsRelocatable() {
		this.contextRunner.withPropertyValues("cryo.client-script.path=/assets/cryo")
			.run((context) -> assertThat(registration(context.getBean(ServletRegistrationBean.class)))
				.isEqualTo("/assets/cryo/*"));
	}

	@Test
	void switchedOffItServesNothing() {
		this.contextRunner.withPropertyValues("cryo.client-script.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServletRegistrationBean.class));
	}

	@Test
	void withCryoDisabledItServesNothing() {
		this.contextRunner.withPropertyValues("cryo.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServletRegistrationBean.class));
	}

	@Test
	void withoutTheClientOnTheClasspathItServesNothing() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader(
					new ClassPathResource(CryoClientScriptAutoConfiguration.LOCATION + "cryo.mjs")))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ServletRegistrationBean.class));
	}

	@Test
	void applicationsServletOfTheSameNameReplacesIt() {
		this.contextRunner
			.withBean("cryoClientScriptServlet", ServletRegistrationBean.class, ServletRegistrationBean::new)
			.run((context) -> assertThat(context.getBean("cryoClientScriptServlet", ServletRegistrationBean.class)
				.getServlet()).isNull());
	}

	@Test
	void clientFilesAreRegisteredForANativeImage() {
		RuntimeHints hints = new RuntimeHints();
		new CryoClientScriptAutoConfiguration.ClientScriptRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.resource().forResource("dev/cryo/client/js/cryo.mjs")).accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("dev/cryo/client/js/cryo.d.ts")).accepts(hints);
	}

	private static String registration(ServletRegistrationBean<?> registration) {
		assertThat(registration.getServlet()).isInstanceOf(CryoClientScriptServlet.class);
		return String.join(",", registration.getUrlMappings());
	}

}
