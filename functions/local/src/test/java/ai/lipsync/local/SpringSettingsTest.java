package ai.lipsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every framework key our settings files set ({@code application.yml}, the Lambda function's
 * {@code lambda-api.properties}) is one that the Spring versions on the class path still read: a key
 * Spring Boot has moved (4.0 moved {@code server.error.*} to {@code spring.web.error.*}) is ignored
 * without a word at run time. Checked against the configuration metadata each Spring jar ships.
 */
class SpringSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FRAMEWORK_PREFIXES = List.of("spring.", "server.", "logging.", "management.");

    @Test
    void settingsFiles_setOnlyKeysThatSpringStillReads() throws IOException {
        Map<String, JsonNode> metadata = springMetadata();
        assertThat(metadata).as("configuration metadata of the Spring jars").containsKey("server.port");

        Set<String> keys = new TreeSet<>();
        for (var source : new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"))) {
            Collections.addAll(keys, ((EnumerablePropertySource<?>) source).getPropertyNames());
        }
        keys.addAll(PropertiesLoaderUtils.loadProperties(new ClassPathResource("lambda-api.properties")).stringPropertyNames());
        List<String> framework = keys.stream().filter(k -> FRAMEWORK_PREFIXES.stream().anyMatch(k::startsWith)).toList();
        assertThat(framework).as("framework keys found in the settings files").contains("server.port");

        List<String> problems = new ArrayList<>();
        for (String key : framework) {
            JsonNode property = property(metadata, key);
            if (property == null) {
                problems.add(key + ": no Spring jar on the class path declares it");
            } else if ("error".equals(property.path("deprecation").path("level").asText())) {
                problems.add(key + ": no longer read; use " + property.path("deprecation").path("replacement").asText());
            }
        }
        assertThat(problems).isEmpty();
    }

    /** The key itself, or the map-typed property it is an entry of ({@code logging.level.<logger>}). */
    private static JsonNode property(Map<String, JsonNode> metadata, String key) {
        if (metadata.containsKey(key)) {
            return metadata.get(key);
        }
        return metadata.entrySet().stream()
                .filter(e -> key.startsWith(e.getKey() + ".") && e.getValue().path("type").asText().startsWith("java.util.Map<"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static Map<String, JsonNode> springMetadata() throws IOException {
        Map<String, JsonNode> properties = new HashMap<>();
        for (URL url : Collections.list(SpringSettingsTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                JSON.readTree(in).path("properties").forEach(p -> properties.putIfAbsent(p.path("name").asText(), p));
            }
        }
        return properties;
    }
}
