// Keeps the sources of the chosen kind and removes the other three kinds' examples.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

def kinds = ['task', 'model', 'estimator', 'analyzer']
def props = request.properties
String kind = props.get('kind')
Path root = Paths.get(request.outputDirectory, request.artifactId)
if (!kinds.contains(kind)) {
    // batch mode does not apply the descriptor's validationRegex: check here and leave nothing behind
    root.toFile().deleteDir()
    throw new IllegalArgumentException("kind = " + kind + " is not a plugin kind; allowed: " + kinds.join(', '))
}
String pkg = props.get('package').replace('.', '/')
String name = props.get('name')
kinds.findAll { it != kind }.each { other ->
    String cls = name + other.capitalize()
    Files.deleteIfExists(root.resolve("src/main/java/" + pkg + "/" + cls + ".java"))
    Files.deleteIfExists(root.resolve("src/test/java/" + pkg + "/" + cls + "Test.java"))
}
