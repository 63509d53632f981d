package dev.ramp.gateway.accesslog;

import dev.ramp.gateway.proxy.AccessLog;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log's writer: event loops hand entries to a bounded queue ({@link #log}, never waits: a full
 * queue drops the entry and counts it, {@link #dropped()}), and one thread, {@code ramp-access-log}, formats
 * them ({@link AccessLogJson}) and appends them in batches to standard output or a file. The thread polls the
 * queue (sleeping 10 ms when it is empty) rather than waiting on it, so an offer never has a thread to wake.
 *
 * <p>Log rotation: the file is reopened on {@link #reopen()} (SIGUSR1, as nginx does) and, without a signal,
 * when the thread's periodic look finds the path missing or naming another file than the one open (renamed by
 * logrotate or by hand): lines go on into a new file at the configured path. A write that fails is logged and
 * its lines counted as dropped; the next batch reopens the file.
 */
public final class AccessLogWriter implements AccessLog, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);
    /** Lines held for the writer at most; past that, lines are dropped rather than making requests wait. */
    public static final int DEFAULT_QUEUE = 65_536;
    /** How often the writer checks whether its file was renamed away. */
    public static final Duration DEFAULT_CHECK = Duration.ofSeconds(1);
    private static final int BATCH = 1024;
    /** How long the writer sleeps when its queue is empty. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Path file;
    private final BlockingQueue<Entry> queue;
    private final long checkNanos;
    private final LongAdder dropped = new LongAdder();
    private final Thread thread;
    private volatile boolean reopen;
    private volatile boolean closing;
    // Owned by the writer thread.
    private OutputStream out;
    private Object openFileKey;
    private long lastCheck;

    private AccessLogWriter(Path file, int queueSize, Duration check) throws IOException {
        this.file = file;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.checkNanos = check.toNanos();
        open(); // a file that cannot be opened fails the start, with its path named
        this.thread = new Thread(this::run, "ramp-access-log");
        thread.setDaemon(true);
    }

    /**
     * The writer {@code ramp.access-log} asks for, started; null when it is off.
     *
     * @throws IllegalStateException naming the file when it cannot be opened (the start fails)
     */
    public static AccessLogWriter open(dev.ramp.gateway.config.AccessLogSettings a) {
        if (!a.enabled()) {
            return null;
        }
        try {
            return start(a.file(), DEFAULT_QUEUE, DEFAULT_CHECK);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot open the access log " + a.target() + ": " + e
                    + " (ramp.access-log.path)", e);
        }
    }

    /**
     * A started writer to {@code file} (null: standard output) holding at most {@code queueSize} lines, looking
     * every {@code check} whether the file was renamed.
     *
     * @throws IOException when the file cannot be opened for appending
     */
    public static AccessLogWriter start(Path file, int queueSize, Duration check) throws IOException {
        AccessLogWriter w = unstarted(file, queueSize, check);
        w.thread.start();
        return w;
    }

    /** A writer whose thread is not started yet: lines only queue (tests fill the queue this way). */
    static AccessLogWriter unstarted(Path file, int queueSize, Duration check) throws IOException {
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize: " + queueSize + " (expected: >= 1)");
        }
        return new AccessLogWriter(file, queueSize, Objects.requireNonNull(check, "check"));
    }

    /** Starts the thread of an {@link #unstarted} writer. */
    void startWriting() {
        thread.start();
    }

    /** Queues one line; when the queue is full the line is dropped and counted. Never blocks. */
    @Override
    public void log(Entry entry) {
        if (!queue.offer(entry)) {
            dropped.increment();
        }
    }

    /** Lines dropped so far: the queue was full, or their write failed. */
    public long dropped() {
        return dropped.sum();
    }

    /** Asks the writer to reopen its file (after rotation); returns at once. */
    public void reopen() {
        reopen = true;
        LockSupport.unpark(thread);
    }

    /** Where the lines go: {@code stdout} or the file. */
    public String target() {
        return file == null ? "stdout" : file.toString();
    }

    private void run() {
        List<Entry> batch = new ArrayList<>(BATCH);
        StringBuilder text = new StringBuilder(256 * BATCH);
        lastCheck = System.nanoTime();
        while (true) {
            int n = queue.drainTo(batch, BATCH);
            if (n > 0) {
                write(batch, text);
            }
            if (n < BATCH && !closing) {
                // Poll, never wait on the queue: a waiting consumer would make every offer on an event loop
                // wake this thread (a futex call per request). Sleeping while the queue is short also turns a
                // trickle into batches of one write each. Lines wait at most this long.
                LockSupport.parkNanos(IDLE_NANOS); // reopen() and close() unpark it early
            }
            if (closing && queue.isEmpty()) {
                break;
            }
            maybeReopen();
        }
        closeOutput();
    }

    private void write(List<Entry> batch, StringBuilder text) {
        text.setLength(0);
        for (Entry e : batch) {
            AccessLogJson.append(text, e);
        }
        try {
            if (out == null) {
                open();
            }
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            dropped.add(batch.size());
            log.warn("access log {}: {} line(s) dropped, write failed: {}", target(), batch.size(), e.toString());
            closeOutput(); // the next batch reopens
        }
        batch.clear();
        if (text.capacity() > 1024 * 1024) {
            text.setLength(0);
            text.trimToSize(); // a burst of long paths must not pin a large buffer
        }
    }

    /** Reopens on request, or when the path no longer names the open file (checked every {@code check}). */
    private void maybeReopen() {
        if (file == null) {
            reopen = false;
            return;
        }
        long now = System.nanoTime();
        boolean due = now - lastCheck >= checkNanos;
        if (!reopen && !due) {
            return;
        }
        lastCheck = now;
        boolean asked = reopen;
        reopen = false;
        if (asked || !Objects.equals(fileKey(), openFileKey)) {
            closeOutput();
            try {
                open();
                log.info("access log {}: reopened ({})", file, asked ? "asked" : "the file was moved or removed");
            } catch (IOException e) {
                log.warn("access log {}: cannot reopen: {}", file, e.toString());
            }
        }
    }

    private void open() throws IOException {
        if (file == null) {
            out = new FileOutputStream(FileDescriptor.out);
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // A FileOutputStream, not a FileChannel: an interrupt of this thread must not close it mid-write.
        out = new FileOutputStream(file.toFile(), true);
        openFileKey = fileKey();
    }

    /** The identity (device and inode) of the file the path names now; null when there is none. */
    private Object fileKey() {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private void closeOutput() {
        OutputStream o = out;
        out = null;
        openFileKey = null;
        if (o != null && file != null) {
            try {
                o.close();
            } catch (IOException e) {
                log.debug("access log {}: close failed: {}", file, e.toString());
            }
        }
    }

    /** Writes what is queued, then stops the thread (waits at most 5 s). */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
