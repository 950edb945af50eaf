/*
 * runner.c - the fuzzer's executor: runs ELF files under a small sandbox and
 * tells what execve did with them.
 *
 * Build: cc -O2 -Wall -Wextra -o runner runner.c   (Linux, glibc >= 2.32)
 * Usage: runner [-u UID] [-g GID] [-d WORKDIR] [-N]
 *   -u/-g  credentials the mutants run with when the runner is root (65534)
 *   -d     directory the mutants run in (default "/"); must be traversable by UID
 *   -N     do not try a PID namespace
 *
 * Protocol (long-lived, one process serves many jobs, results in job order):
 *   startup: one JSON line {"ready":true,...} describing the sandbox.
 *   stdin:   "ID TIMEOUT_MS PATH\n"   ID and TIMEOUT_MS decimal, PATH the rest of
 *            the line (absolute; it is resolved after chdir to WORKDIR).
 *   stdout:  one JSON line per job:
 *            {"id":ID,"verdict":V,"errno":E|null,"signal":S|null,
 *             "exitCode":N|null,"laterSignal":S|null,"timedOut":B,"stdout":"<base64>"}
 *            or {"id":ID,"error":"..."} when the harness itself failed.
 *   EOF on stdin: kill whatever is left, exit 0.
 *
 * Verdicts:
 *   exec-error   execve returned -1 in the child (errno = its errno)
 *   exec-killed  no PTRACE_EVENT_EXEC, yet the child died of a signal: the kernel
 *                failed after the point of no return and force_fatal_sig()ed it
 *                (errno = the error execve would have returned, read from rax)
 *   start-fault  the exec event was seen, and the very first instruction did not
 *                complete: one PTRACE_SINGLESTEP from the entry point ended in a
 *                signal (SIGSEGV, SIGBUS, SIGILL, ...) instead of the step trap
 *   runs         the first instruction completed; what the program does after that
 *                is its own business. exitCode, or laterSignal (a signal that killed
 *                it later), or timedOut tell how it ended.
 *
 * Stages: a program with an interpreter (AT_BASE set in its auxiliary vector)
 * starts in the dynamic linker, which later jumps to the program's own entry
 * (AT_ENTRY). The runner follows it there: a breakpoint at AT_ENTRY, then one
 * step of the program's first instruction. "stage" says where the verdict was
 * decided: "execve" (exec-error, exec-killed), "entry" (the first instruction of
 * a program without interpreter, or of the interpreter when that one faults),
 * "program" (the program's own first instruction, after the interpreter), or
 * "interpreter" (the interpreter exited or died before reaching AT_ENTRY).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STDOUT_CAP (64 * 1024) /* bytes of mutant stdout kept */
#define STDERR_CAP 4096        /* only used to carry harness error messages */
#define SETUP_FAILED 255       /* child exit code: sandbox setup failed (errnos are < 255) */

static uid_t mutant_uid = 65534;
static gid_t mutant_gid = 65534;
static const char *workdir = "/";
static int drop_privileges; /* root: switch to mutant_uid/gid in every child */
static int in_pidns;        /* we are PID 1 of a private PID namespace */
static int devnull = -1;
static int sigfd = -1;
static sigset_t child_mask; /* SIGCHLD, blocked so that signalfd can report it */

struct outcome {
	const char *verdict;
	int err;       /* errno, 0 = none */
	int sig;       /* signal, 0 = none */
	int later_sig; /* runs: the signal that killed it after its first instruction */
	int exit_code; /* -1 = none */
	int timed_out;
	char *out;
	size_t out_len;
	char err_text[STDERR_CAP + 1];
	size_t err_len;
	int harness_error;
	const char *stage;
};

#define AT_NULL_TYPE 0
#define AT_BASE_TYPE 7
#define AT_ENTRY_TYPE 9

/* One word of the tracee, `width` bytes (4 for a 32-bit process); -1 on failure. */
static int peek_word(pid_t pid, unsigned long long address, int width, unsigned long long *value)
{
	long word;
	errno = 0;
	word = ptrace(PTRACE_PEEKDATA, pid, (void *)(uintptr_t)address, NULL);
	if (errno)
		return -1;
	*value = width == 4 ? (unsigned long long)(uint32_t)word : (unsigned long long)word;
	return 0;
}

/*
 * AT_ENTRY and AT_BASE from the auxiliary vector on the new stack: argc, argv
 * and NULL, envp and NULL, then (type, value) pairs up to AT_NULL. Read from
 * the tracee's memory, so it works in any PID namespace.
 */
static int read_auxv(pid_t pid, const struct user_regs_struct *regs, unsigned long long *entry, unsigned long long *base)
{
	int width = regs->cs == 0x23 ? 4 : 8; /* __USER32_CS: an ia32 process */
	unsigned long long p = regs->rsp, argc, value, type;
	int i;
	if (peek_word(pid, p, width, &argc) < 0 || argc > 1u << 20)
		return -1;
	p += (argc + 2) * width;
	for (i = 0; i < 1 << 16; i++, p += width) {
		if (peek_word(pid, p, width, &value) < 0)
			return -1;
		if (value == 0)
			break;
	}
	p += width;
	for (i = 0; i < 256; i++, p += 2 * width) {
		if (peek_word(pid, p, width, &type) < 0 || peek_word(pid, p + width, width, &value) < 0)
			return -1;
		if (type == AT_NULL_TYPE)
			return 0;
		if (type == AT_ENTRY_TYPE)
			*entry = value;
		if (type == AT_BASE_TYPE)
			*base = value;
	}
	return -1;
}

/* ---- child side: everything between fork and execve ---- */

static void child_fail(const char *what)
{
	/* stderr is already the job's stderr pipe, so the parent can quote this */
	dprintf(2, "runner: %s: %s", what, strerror(errno));
	_exit(SETUP_FAILED);
}

static void limit(int resource, rlim_t value)
{
	struct rlimit rl = { value, value };
	if (setrlimit(resource, &rl) < 0)
		child_fail("setrlimit");
}

static void child(const char *path, int timeout_ms, int out_w, int err_w, pid_t parent)
{
	char *argv[] = { (char *)path, NULL };
	char *envp[] = { NULL };
	sigset_t none;

	/* The runner blocks SIGCHLD for its signalfd; a blocked mask survives execve. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(err_w, 2) < 0 || dup2(out_w, 1) < 0 || dup2(devnull, 0) < 0)
		_exit(SETUP_FAILED);
	/* Own session = own process group (killed as a whole) and no controlling tty. */
	if (setsid() < 0)
		child_fail("setsid");
	if (chdir(workdir) < 0)
		child_fail("chdir");
	if (drop_privileges) {
		if (setgroups(0, NULL) < 0)
			child_fail("setgroups");
		if (setgid(mutant_gid) < 0)
			child_fail("setgid");
		if (setuid(mutant_uid) < 0)
			child_fail("setuid");
	}
	/*
	 * Limits are set after setuid on purpose: setuid() flags the task
	 * PF_NPROC_EXCEEDED when the uid is already over RLIMIT_NPROC, and execve
	 * then fails with EAGAIN. RLIMIT_NPROC counts every process of the uid on the
	 * system (all runners' mutants included), so set here it only limits forks
	 * made by the mutant, never the exec we are measuring.
	 */
	limit(RLIMIT_CORE, 0);
	limit(RLIMIT_CPU, (rlim_t)(timeout_ms / 1000 + 1)); /* backstop; the wall clock normally wins */
	limit(RLIMIT_AS, (rlim_t)512 << 20);
	limit(RLIMIT_FSIZE, (rlim_t)1 << 20);
	limit(RLIMIT_NPROC, 64);
	limit(RLIMIT_NOFILE, 32);
	/* Set after setuid, which clears it. Survives a plain execve. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		child_fail("prctl");
	if (getppid() != parent)
		_exit(SETUP_FAILED);
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
		child_fail("ptrace(TRACEME)");
	/* Let the parent set PTRACE_O_TRACEEXEC before the exec happens. */
	raise(SIGSTOP);
	execve(path, argv, envp);
	_exit(errno); /* exec-error: the parent reads errno from the exit code */
}

/* ---- parent side ---- */

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads what is available; returns 0 at EOF or error, 1 if the pipe may have more. */
static int drain(int fd, char *buf, size_t cap, size_t *len)
{
	char scratch[16384];
	for (;;) {
		char *dst = *len < cap ? buf + *len : scratch;
		size_t room = *len < cap ? cap - *len : sizeof scratch;
		ssize_t n = read(fd, dst, room);
		if (n > 0) {
			if (dst != scratch)
				*len += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 && errno == EAGAIN;
	}
}

/*
 * Kills and reaps every process the job left behind (mutants may fork, and
 * setsid() would let a child leave the process group). In a PID namespace
 * kill(-1) reaches exactly the namespace; otherwise we are a child subreaper
 * and find the orphans among our children in /proc.
 */
static int kill_children_via_proc(void)
{
	char name[64], buf[4096];
	int fd, killed = 0;
	ssize_t n;

	snprintf(name, sizeof name, "/proc/self/task/%d/children", (int)getpid());
	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (char *p = buf, *end; *p; p = end) {
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 0) {
			kill((pid_t)-pid, SIGKILL);
			kill((pid_t)pid, SIGKILL);
			killed = 1;
		}
	}
	return killed;
}

static void reap_everything(void)
{
	for (int round = 0; round < 10000; round++) {
		int status;
		pid_t r = waitpid(-1, &status, WNOHANG | __WALL);
		if (r > 0)
			continue;
		if (r < 0)
			return; /* ECHILD: no descendants are left (we reap orphans) */
		if (in_pidns)
			kill(-1, SIGKILL);
		else if (!kill_children_via_proc())
			return; /* cannot find them; the process group kill has to do */
		waitpid(-1, &status, __WALL);
	}
}

static unsigned long long rip_of(pid_t pid)
{
	struct user_regs_struct regs;
	return ptrace(PTRACE_GETREGS, pid, NULL, &regs) == 0 ? regs.rip : ~0ULL;
}

static void run_job(const char *path, int timeout_ms, struct outcome *o)
{
	int outp[2], errp[2], status;
	int options_set = 0, exec_seen = 0, stepping = 0, started = 0, first_fault = 0;
	unsigned long long entry_rip = 0;
	/* The second stage, for programs with an interpreter. */
	unsigned long long program_entry = 0, interp_base = 0;
	long saved_word = 0;
	int follow = 0, breakpoint = 0, awaiting = 0, program_stepping = 0, program_started = 0, program_fault = 0;
	int reaped = 0, stop_sig = 0, killed = 0;
	long long deadline;
	struct pollfd fds[3];
	pid_t pid, self = getpid();

	o->verdict = NULL;
	o->stage = NULL;
	o->err = o->sig = o->later_sig = o->timed_out = o->harness_error = 0;
	o->exit_code = -1;
	o->out_len = o->err_len = 0;
	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		snprintf(o->err_text, sizeof o->err_text, "pipe2: %s", strerror(errno));
		o->harness_error = 1;
		return;
	}
	deadline = now_ms() + timeout_ms;
	pid = fork();
	if (pid < 0) {
		snprintf(o->err_text, sizeof o->err_text, "fork: %s", strerror(errno));
		o->harness_error = 1;
		close(outp[0]), close(outp[1]), close(errp[0]), close(errp[1]);
		return;
	}
	if (pid == 0)
		child(path, timeout_ms, outp[1], errp[1], self);
	close(outp[1]);
	close(errp[1]);
	/* Non-blocking on our side only: the mutant's write end stays blocking. */
	fcntl(outp[0], F_SETFL, O_NONBLOCK);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);
	fds[0] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = outp[0], .events = POLLIN };
	fds[2] = (struct pollfd){ .fd = errp[0], .events = POLLIN };

	while (!reaped) {
		long long left = deadline - now_ms();
		if (left <= 0 && !killed) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL); /* in case it has not reached setsid() */
			killed = 1;
		}
		/* After SIGKILL only the reaping is left to wait for. */
		if (poll(fds, 3, killed ? -1 : (int)left) < 0 && errno != EINTR)
			break;
		if (fds[1].revents && !drain(outp[0], o->out, STDOUT_CAP, &o->out_len))
			fds[1].fd = -1;
		if (fds[2].revents && !drain(errp[0], o->err_text, STDERR_CAP, &o->err_len))
			fds[2].fd = -1;
		if (!fds[0].revents)
			continue;
		{
			struct signalfd_siginfo si;
			while (read(sigfd, &si, sizeof si) == sizeof si)
				;
		}
		while (!reaped && waitpid(pid, &status, WNOHANG | __WALL) == pid) {
			if (WIFEXITED(status) || WIFSIGNALED(status)) {
				reaped = 1;
			} else if (!WIFSTOPPED(status)) {
				continue;
			} else if (!options_set) {
				/* The child's own SIGSTOP, just before execve. */
				ptrace(PTRACE_SETOPTIONS, pid, NULL,
				       (void *)(long)(PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL));
				ptrace(PTRACE_CONT, pid, NULL, NULL);
				options_set = 1;
			} else if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
				/* Loaded: execute exactly one instruction, the entry point's. */
				struct user_regs_struct regs;
				exec_seen = 1;
				stepping = 1;
				if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) == 0) {
					entry_rip = regs.rip;
					follow = read_auxv(pid, &regs, &program_entry, &interp_base) == 0 && interp_base != 0;
				}
				ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL);
			} else if (stepping == 1 && WSTOPSIG(status) == SIGTRAP && rip_of(pid) == entry_rip) {
				/*
				 * Stepping out of execve reports a step trap at syscall exit,
				 * before any user instruction: step once more. (An instruction
				 * that jumps to itself lands here too and is stepped twice.)
				 */
				stepping = 2;
				ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL);
			} else if (stepping) {
				/*
				 * The step trap means the first instruction completed and the
				 * program has started; anything else is the first instruction's
				 * own fault. Either way the mutant then runs untraced, so a
				 * fault is delivered and kills it as it would have anyway.
				 */
				stepping = 0;
				if (WSTOPSIG(status) == SIGTRAP && follow) {
					/*
					 * The interpreter started: let it run to the program's
					 * entry. An int3 there, unless the address cannot be
					 * written (unmapped: the jump itself will fault).
					 */
					started = 1;
					awaiting = 1;
					errno = 0;
					saved_word = ptrace(PTRACE_PEEKTEXT, pid, (void *)(uintptr_t)program_entry, NULL);
					if (errno == 0 && ptrace(PTRACE_POKETEXT, pid, (void *)(uintptr_t)program_entry,
								 (void *)((saved_word & ~0xffL) | 0xcc)) == 0)
						breakpoint = 1;
					ptrace(PTRACE_CONT, pid, NULL, NULL);
				} else if (WSTOPSIG(status) == SIGTRAP) {
					started = 1;
					ptrace(PTRACE_DETACH, pid, NULL, NULL);
				} else {
					first_fault = WSTOPSIG(status);
					kill(pid, SIGKILL);
				}
			} else if (awaiting) {
				int sig = WSTOPSIG(status);
				unsigned long long rip = rip_of(pid);
				if (sig == SIGTRAP && breakpoint && rip == program_entry + 1) {
					/* At the entry: put the byte back and step its first instruction. */
					struct user_regs_struct regs;
					ptrace(PTRACE_POKETEXT, pid, (void *)(uintptr_t)program_entry, (void *)saved_word);
					if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) == 0) {
						regs.rip = program_entry;
						ptrace(PTRACE_SETREGS, pid, NULL, &regs);
					}
					awaiting = 0;
					program_stepping = 1;
					ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL);
				} else if (sig != SIGTRAP && sig != SIGCHLD && rip == program_entry) {
					/* The jump to the entry faulted: nothing runnable is there. */
					awaiting = 0;
					program_fault = sig;
					kill(pid, SIGKILL);
				} else {
					/* The interpreter's own business, including a fatal signal. */
					ptrace(PTRACE_CONT, pid, NULL, (void *)(long)(sig == SIGTRAP ? 0 : sig));
				}
			} else if (program_stepping) {
				program_stepping = 0;
				if (WSTOPSIG(status) == SIGTRAP) {
					program_started = 1;
					ptrace(PTRACE_DETACH, pid, NULL, NULL);
				} else {
					program_fault = WSTOPSIG(status);
					kill(pid, SIGKILL);
				}
			} else if (!exec_seen) {
				/*
				 * A signal before any exec event: load_elf_binary failed after
				 * the point of no return. execve has already "returned", so
				 * rax holds -errno. SIGKILL instead of delivering the signal:
				 * nothing to learn from a core of a half-built mm.
				 */
				struct user_regs_struct regs;
				stop_sig = WSTOPSIG(status);
				if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) == 0 &&
				    regs.orig_rax == SYS_execve && (long)regs.rax < 0 &&
				    (long)regs.rax > -4096)
					o->err = (int)-(long)regs.rax;
				kill(pid, SIGKILL);
			} else {
				ptrace(PTRACE_CONT, pid, NULL, (void *)(long)WSTOPSIG(status));
			}
		}
	}

	/* The process group first: it may still be writing into the pipe. */
	kill(-pid, SIGKILL);
	reap_everything();
	drain(outp[0], o->out, STDOUT_CAP, &o->out_len);
	drain(errp[0], o->err_text, STDERR_CAP, &o->err_len);
	close(outp[0]);
	close(errp[0]);
	o->err_text[o->err_len] = '\0';

	if (!reaped) {
		snprintf(o->err_text, sizeof o->err_text, "poll: %s", strerror(errno));
		o->harness_error = 1;
	} else if (first_fault) {
		o->verdict = "start-fault";
		o->sig = first_fault;
		o->stage = "entry";
	} else if (program_fault) {
		o->verdict = "start-fault";
		o->sig = program_fault;
		o->stage = "program";
	} else if (follow && started && !program_started) {
		/* The interpreter stopped (exit, fatal signal, timeout) before the program's entry. */
		o->verdict = "runs";
		o->stage = "interpreter";
		if (WIFEXITED(status))
			o->exit_code = WEXITSTATUS(status);
		else {
			o->timed_out = killed && WTERMSIG(status) == SIGKILL;
			o->later_sig = o->timed_out ? 0 : WTERMSIG(status);
		}
	} else if (WIFEXITED(status)) {
		if (exec_seen) {
			/* Also an exit inside the single step: its syscall completed. */
			o->verdict = "runs";
			o->exit_code = WEXITSTATUS(status);
		} else if (WEXITSTATUS(status) == SETUP_FAILED) {
			o->harness_error = 1;
			if (o->err_len == 0)
				snprintf(o->err_text, sizeof o->err_text, "sandbox setup failed");
		} else {
			o->verdict = "exec-error";
			o->err = WEXITSTATUS(status);
		}
	} else if (exec_seen && started) {
		o->verdict = "runs";
		o->timed_out = killed && WTERMSIG(status) == SIGKILL;
		o->later_sig = o->timed_out ? 0 : WTERMSIG(status);
	} else if (exec_seen) {
		/* Killed while stepping: only the timeout does that. */
		o->verdict = "runs";
		o->timed_out = 1;
	} else {
		/* Killed before the exec event (also: a timeout while inside execve). */
		o->verdict = "exec-killed";
		o->sig = stop_sig ? stop_sig : WTERMSIG(status);
		o->timed_out = killed && !stop_sig;
	}
	if (!o->harness_error && !o->stage) {
		if (strcmp(o->verdict, "exec-error") == 0 || strcmp(o->verdict, "exec-killed") == 0)
			o->stage = "execve";
		else
			o->stage = program_started ? "program" : "entry";
	}
}

/* ---- output ---- */

static void put_base64(const unsigned char *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		putchar(tab[v >> 18 & 63]);
		putchar(tab[v >> 12 & 63]);
		putchar(i + 1 < n ? tab[v >> 6 & 63] : '=');
		putchar(i + 2 < n ? tab[v & 63] : '=');
	}
}

static void put_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c); /* bytes, not UTF-8: keep the line valid JSON */
		else
			putchar(c);
	}
	putchar('"');
}

static void put_errno(int e)
{
	const char *name = e ? strerrorname_np(e) : NULL;
	if (!e)
		fputs("null", stdout);
	else if (name)
		printf("\"%s\"", name);
	else
		printf("\"E%d\"", e);
}

static void put_signal(int s)
{
	const char *name = s ? sigabbrev_np(s) : NULL;
	if (!s)
		fputs("null", stdout);
	else if (name)
		printf("\"SIG%s\"", name);
	else
		printf("\"SIG%d\"", s);
}

static void put_outcome(unsigned long long id, const struct outcome *o)
{
	printf("{\"id\":%llu,", id);
	if (o->harness_error) {
		fputs("\"error\":", stdout);
		put_json_string(o->err_text);
		puts("}");
		return;
	}
	printf("\"verdict\":\"%s\",\"stage\":\"%s\",\"errno\":", o->verdict, o->stage);
	put_errno(o->err);
	fputs(",\"signal\":", stdout);
	put_signal(o->sig);
	if (o->exit_code >= 0)
		printf(",\"exitCode\":%d", o->exit_code);
	else
		fputs(",\"exitCode\":null", stdout);
	fputs(",\"laterSignal\":", stdout);
	put_signal(o->later_sig);
	printf(",\"timedOut\":%s,\"stdout\":\"", o->timed_out ? "true" : "false");
	put_base64((const unsigned char *)o->out, o->out_len);
	puts("\"}");
}

/* ---- setup and job loop ---- */

static int job_loop(const char *note)
{
	static struct outcome o;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	o.out = malloc(STDOUT_CAP);
	if (!o.out)
		return 1;
	printf("{\"ready\":true,\"pid\":%d,\"pidNamespace\":%s,\"uid\":%d,\"gid\":%d,\"note\":",
	       (int)getpid(), in_pidns ? "true" : "false",
	       drop_privileges ? (int)mutant_uid : (int)getuid(),
	       drop_privileges ? (int)mutant_gid : (int)getgid());
	put_json_string(note);
	puts("}");
	fflush(stdout);

	while ((n = getline(&line, &cap, stdin)) > 0) {
		unsigned long long id;
		long timeout_ms;
		char *p = line, *end;

		if (line[n - 1] == '\n')
			line[--n] = '\0';
		id = strtoull(p, &end, 10);
		if (end == p || *end != ' ') {
			puts("{\"id\":null,\"error\":\"bad job line\"}");
			fflush(stdout);
			continue;
		}
		p = end + 1;
		timeout_ms = strtol(p, &end, 10);
		if (end == p || *end != ' ' || end[1] == '\0' || timeout_ms < 1 || timeout_ms > 86400000) {
			printf("{\"id\":%llu,\"error\":\"bad job line\"}\n", id);
			fflush(stdout);
			continue;
		}
		run_job(end + 1, (int)timeout_ms, &o);
		put_outcome(id, &o);
		fflush(stdout);
	}
	reap_everything();
	return 0;
}

int main(int argc, char **argv)
{
	const char *note = "";
	int want_pidns = 1, opt;

	while ((opt = getopt(argc, argv, "u:g:d:N")) != -1) {
		switch (opt) {
		case 'u': mutant_uid = (uid_t)strtoul(optarg, NULL, 10); break;
		case 'g': mutant_gid = (gid_t)strtoul(optarg, NULL, 10); break;
		case 'd': workdir = optarg; break;
		case 'N': want_pidns = 0; break;
		default:
			fprintf(stderr, "usage: %s [-u UID] [-g GID] [-d WORKDIR] [-N]\n", argv[0]);
			return 2;
		}
	}
	drop_privileges = geteuid() == 0;
	if (!drop_privileges)
		note = "not root: mutants run as the current user, no PID namespace";
	else if (!want_pidns)
		note = "PID namespace not requested";
	else if (unshare(CLONE_NEWPID) < 0)
		note = "unshare(CLONE_NEWPID) failed: no PID namespace";
	else {
		/*
		 * unshare(CLONE_NEWPID) applies to our next child, which becomes PID 1
		 * of the namespace and runs the job loop. When it exits the kernel
		 * kills everything left in the namespace; when we die it is killed.
		 */
		pid_t init = fork();
		if (init < 0) {
			perror("runner: fork");
			return 1;
		}
		if (init > 0) {
			int status;
			while (waitpid(init, &status, 0) < 0 && errno == EINTR)
				;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
		}
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		in_pidns = 1;
	}
	if (!in_pidns)
		prctl(PR_SET_CHILD_SUBREAPER, 1); /* orphans of a job come back to us */

	/* Ignored signals would stay ignored in the mutants; start them from defaults. */
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigemptyset(&child_mask);
	sigaddset(&child_mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &child_mask, NULL);
	sigfd = signalfd(-1, &child_mask, SFD_NONBLOCK | SFD_CLOEXEC);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (sigfd < 0 || devnull < 0) {
		perror("runner: setup");
		return 1;
	}
	return job_loop(note);
}
