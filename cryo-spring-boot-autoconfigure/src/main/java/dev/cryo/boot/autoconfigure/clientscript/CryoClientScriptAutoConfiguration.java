package dev.cryo.boot.autoconfigure.clientscript;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnResource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.io.ClassPathResource;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.boot.autoconfigure.CryoProperties;
import dev.cryo.boot.autoconfigure.clientscript.CryoClientScriptServlet.ScriptFile;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that
 * serves the JavaScript client of {@code cryo-client-js} at {@code cryo.client-script.path}
 * ({@code /cryo-client/cryo.mjs} and {@code /cryo-client/cryo.d.ts} by default), as Socket.IO
 * serves its client script and spring-graphql its GraphiQL page. The files are read from the
 * classpath ({@value #LOCATION}), where the starter puts them; without them, or with
 * {@code cryo.client-script.enabled=false}, nothing is served. With {@code cryo.port} the
 * dedicated port serves them too.
 */
@AutoConfiguration(after = CryoAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "cryo.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "cryo.client-script.enabled", matchIfMissing = true)
@ConditionalOnResource(resources = "classpath:" + CryoClientScriptAutoConfiguration.LOCATION + "cryo.mjs")
@EnableConfigurationProperties(CryoProperties.class)
@ImportRuntimeHints(CryoClientScriptAutoConfiguration.ClientScriptRuntimeHints.class)
public final class CryoClientScriptAutoConfiguration {

	/** Where {@code cryo-client-js} puts the client's files on the classpath. */
	static final String LOCATION = "dev/cryo/client/js/";

	/** The module, as browsers expect JavaScript (RFC 9239). */
	private static final String JAVASCRIPT = "text/javascript;charset=UTF-8";

	/** Type declarations are read by tools, never run: plain text. */
	private static final String TYPE_DECLARATIONS = "text/plain;charset=UTF-8";

	@Bean
	@ConditionalOnMissingBean(name = "cryoClientScriptServlet")
	ServletRegistrationBean<CryoClientScriptServlet> cryoClientScriptServlet(CryoProperties properties) {
		Map<String, ScriptFile> files = new LinkedHashMap<>();
		files.put("cryo.mjs", ScriptFile.read(new ClassPathResource(LOCATION + "cryo.mjs"), JAVASCRIPT));
		ClassPathResource declarations = new ClassPathResource(LOCATION + "cryo.d.ts");
		if (declarations.exists()) {
			files.put("cryo.d.ts", ScriptFile.read(declarations, TYPE_DECLARATIONS));
		}
		CryoClientScriptServlet servlet = new CryoClientScriptServlet(files, properties.getAllowedOrigins(),
				properties.getAllowedOriginPatterns());
		ServletRegistrationBean<CryoClientScriptServlet> registration = new ServletRegistrationBean<>(servlet,
				properties.getClientScript().getPath() + "/*");
		registration.setName("cryoClientScript");
		return registration;
	}

	/** The client's files, for a native image. */
	static class ClientScriptRuntimeHints implements RuntimeHintsRegistrar {

		@Override
		public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
			hints.resources().registerPattern(LOCATION + "*");
		}

	}

}
