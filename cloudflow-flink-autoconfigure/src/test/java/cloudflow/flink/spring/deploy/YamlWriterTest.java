package cloudflow.flink.spring.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

class YamlWriterTest {

  @ParameterizedTest
  @ValueSource(strings = {"true", "no", "on", "null", "~", "8080", "1.5", "0x1F", "1e3", "10 s", "", " lead", "trail ",
      "a: b", "x #y", "#x", "-x", "@x", "*x", "&x", "!x", "%x", "{x}", "[x]", "|x", ">x", "'x", "\"q\"", "back\\slash",
      "line\nbreak", "tab\tin", "file:///flink-data/ha", "-Xmx512m -XX:+ExitOnOutOfMemoryError", "ends:", "12:30"})
  void everyStringReadsBackAsTheSameString(String value) {
    Map<String, Object> document = Map.of("key", value, "list", List.of(value));
    Object read = new Yaml().load(YamlWriter.write(List.of(), List.of(document)));
    assertThat(read).isEqualTo(Map.of("key", value, "list", List.of(value)));
  }

  @Test
  void numbersAndBooleansStayTyped() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("replicas", 2);
    document.put("cpu", 0.5);
    document.put("optional", true);
    assertThat(YamlWriter.write(List.of(), List.of(document))).isEqualTo("replicas: 2\ncpu: 0.5\noptional: true\n");
  }

  @Test
  void writesBlockStyleWithTheHeaderAndDocumentSeparators() {
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("kind", "ConfigMap");
    first.put("data", Map.of("A", "x"));
    Map<String, Object> second = new LinkedHashMap<>();
    second.put("items", List.of(Map.of("name", "a"), List.of(), Map.of()));
    second.put("empty", Map.of());
    String yaml = YamlWriter.write(List.of("generated", ""), List.of(first, second));
    assertThat(yaml).isEqualTo("""
        # generated
        #
        ---
        kind: ConfigMap
        data:
          A: x
        ---
        items:
          - name: a
          - []
          - {}
        empty: {}
        """);
    assertThat(new Yaml().loadAll(yaml)).hasSize(2);
  }
}
