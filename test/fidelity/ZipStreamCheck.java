import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Streaming ZIP reader check, the way many Java e-discovery loaders read archives:
 * java.util.zip.ZipInputStream over the raw bytes, local headers only (the central
 * directory is never consulted). Every entry is read to its end, which makes
 * ZipInputStream verify the CRC-32 and the sizes against the data descriptor.
 *
 * Usage: java -cp DIR ZipStreamCheck archive.zip
 * Prints "entries=N bytes=M" (uncompressed bytes) and exits 0; on any exception
 * prints the entry it failed on and exits 1. Fails too when the archive holds no entry
 * (ZipInputStream returns null at once on garbage instead of throwing).
 */
public final class ZipStreamCheck {
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ZipStreamCheck <archive.zip>");
            System.exit(2);
        }
        long entries = 0;
        long total = 0;
        String current = "(before first entry)";
        byte[] buf = new byte[1 << 16];
        try (InputStream raw = new BufferedInputStream(new FileInputStream(args[0]), 1 << 16);
             ZipInputStream zin = new ZipInputStream(raw)) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                current = e.getName();
                long n = 0;
                int r;
                while ((r = zin.read(buf)) != -1) {
                    n += r;
                }
                if (e.getSize() >= 0 && e.getSize() != n) {
                    throw new IllegalStateException("entry " + current + ": header size "
                            + e.getSize() + " but read " + n + " bytes");
                }
                zin.closeEntry();
                entries++;
                total += n;
            }
        } catch (Throwable ex) {
            System.err.println("ZipInputStream failed at entry #" + (entries + 1) + " (" + current + "): " + ex);
            System.out.println("entries=" + entries + " bytes=" + total);
            System.exit(1);
        }
        System.out.println("entries=" + entries + " bytes=" + total);
        if (entries == 0) {
            System.err.println("ZipInputStream found no entry at all");
            System.exit(1);
        }
    }
}
