package cloudflow.flink.boot.layout;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.springframework.boot.loader.tools.CustomLoaderLayout;
import org.springframework.boot.loader.tools.Layout;
import org.springframework.boot.loader.tools.LayoutFactory;
import org.springframework.boot.loader.tools.Layouts;
import org.springframework.boot.loader.tools.LoaderClassesWriter;

/**
 * The layout of a streamlet application's executable jar for {@code spring-boot-maven-plugin}
 * ({@code <layoutFactory implementation="cloudflow.flink.boot.layout.StreamletJarLayoutFactory"/>},
 * this module as the plugin's dependency): Spring Boot's jar layout, with
 * {@code cloudflow.flink.boot.loader.StreamletJarLauncher} as its launcher, written next to Spring
 * Boot's loader classes.
 */
public class StreamletJarLayoutFactory implements LayoutFactory {

  /** The launcher classes written into the jar, as entry names. */
  static final List<String> LAUNCHER_CLASSES = List.of(
      "cloudflow/flink/boot/loader/StreamletJarLauncher.class",
      "cloudflow/flink/boot/loader/PackageIndexedClassLoader.class",
      "cloudflow/flink/boot/loader/PackageIndexedClassLoader$Entry.class",
      "cloudflow/flink/boot/loader/ParentGate.class",
      "cloudflow/flink/boot/loader/ParentGate$NotInParentException.class");

  @Override
  public Layout getLayout(File source) {
    return new StreamletJarLayout();
  }

  /** Spring Boot's jar layout with the streamlet launcher. */
  static final class StreamletJarLayout extends Layouts.Jar implements CustomLoaderLayout {

    @Override
    public String getLauncherClassName() {
      return "cloudflow.flink.boot.loader.StreamletJarLauncher";
    }

    @Override
    public void writeLoadedClasses(LoaderClassesWriter writer) throws IOException {
      writer.writeLoaderClasses();
      for (String name : LAUNCHER_CLASSES) {
        try (InputStream in = StreamletJarLayoutFactory.class.getClassLoader().getResourceAsStream(name)) {
          if (in == null) {
            throw new UncheckedIOException(new IOException("Missing launcher class " + name));
          }
          writer.writeEntry(name, in);
        }
      }
    }
  }
}
