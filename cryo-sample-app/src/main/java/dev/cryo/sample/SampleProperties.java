package dev.cryo.sample;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the sample application.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	/**
	 * Bearer tokens accepted from clients, each "name:secret" (the session's user is the name)
	 * or a bare secret (the user is "anonymous"). When empty, only the development token
	 * "dev-token" is accepted, as the user "developer".
	 */
	private List<String> tokens = new ArrayList<>();

	public List<String> getTokens() {
		return this.tokens;
	}

	public void setTokens(List<String> tokens) {
		this.tokens = tokens;
	}

}
