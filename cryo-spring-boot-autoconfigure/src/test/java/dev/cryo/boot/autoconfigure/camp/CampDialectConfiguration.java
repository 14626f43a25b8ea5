package dev.cryo.boot.autoconfigure.camp;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.camp.CampDialect;

/**
 * Makes a test server speak CAMP next to Cryo v1, as a {@link CryoDialect} bean. Once the
 * auto-configuration registers CAMP by itself ({@code cryo.dialects.camp.enabled}, issue 14),
 * this configuration must go: two dialects named {@code camp} are refused.
 */
@Configuration(proxyBeanMethods = false)
public class CampDialectConfiguration {

	@Bean
	CryoDialect campDialect() {
		return CampDialect.INSTANCE;
	}

}
