import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * What Java's two ZIP readers do with an archive holding two entries of one name
 * (test/fidelity/duplicate-names.test.ts). Usage: java -cp DIR DuplicateNames archive.zip name
 * Prints one line per fact, "key=value"; contents are printed trimmed.
 */
public final class DuplicateNames {
    public static void main(String[] args) throws Exception {
        String zip = args[0];
        String name = args[1];
        try (ZipFile z = new ZipFile(zip)) {
            System.out.println("zipfile.size=" + z.size());
            StringBuilder names = new StringBuilder();
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
                names.append(names.length() == 0 ? "" : "|").append(e.nextElement().getName());
            }
            System.out.println("zipfile.entries=" + names);
            ZipEntry entry = z.getEntry(name);
            String content = new String(z.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8).trim();
            System.out.println("zipfile.getEntry=" + content);
        } catch (Exception ex) {
            System.out.println("zipfile.error=" + ex);
        }
        try (ZipInputStream in = new ZipInputStream(new FileInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                String content = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                System.out.println("zipinputstream.entry=" + e.getName() + ":" + content);
            }
        } catch (Exception ex) {
            System.out.println("zipinputstream.error=" + ex);
        }
    }
}
