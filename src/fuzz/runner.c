/*
 * runner.c - the fuzzer's executor: runs ELF files under a small sandbox and
 * tells what execve did with them.
 *
 * Build: cc -O2 -Wall -Wextra -o runner runner.c   (Linux x86-64 or AArch64, glibc >= 2.32)
 * Usage: runner [-u UID] [-g GID] [-d WORKDIR] [-m NAME] [-c INDEX] [-N]
 *   -u/-g  credentials the mutants run with when the runner is root (65534)
 *   -d     directory the mutants run in (default "/"); must be traversable by UID
 *   -m     the file in WORKDIR that inline jobs are written to (default "mutant");
 *          runners that share a WORKDIR need one each
 *   -c     run (with every mutant) on one CPU: the INDEXth of those allowed,
 *          counted modulo their number
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
 * Guest mode: run as PID 1 (the /init of an initramfs booted under qemu-system,
 * src/fuzz/kernel/), the runner mounts /proc, /dev and a tmpfs on /tmp, puts the
 * console into raw mode and serves the same protocol over it, with two changes:
 * every line it writes starts with GUEST_MARK (the console also carries kernel
 * messages), and the greeting holds the guest's facts (kernel release, page size,
 * vm sysctls, meminfo). Two more job forms exist in every mode:
 *   "ID TIMEOUT_MS :BASE64"  the file is sent inline: written to WORKDIR/NAME
 *                            (mode 0755) and executed from there
 *   "bye"                    like EOF; a guest then powers off
 *
 * Verdicts:
 *   exec-error   execve returned -1 in the child (errno = its errno)
 *   exec-killed  no exec SIGTRAP, yet the child died of a signal: the kernel
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
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define STDOUT_CAP (64 * 1024) /* bytes of mutant stdout kept */
#define STDERR_CAP 4096        /* only used to carry harness error messages */
#define SETUP_FAILED 255       /* child exit code: sandbox setup failed (errnos are < 255) */

static uid_t mutant_uid = 65534;
static gid_t mutant_gid = 65534;
static const char *workdir = "/";
static const char *inline_name = "mutant";
static int drop_privileges; /* root: switch to mutant_uid/gid in every child */
static int in_pidns;        /* we are PID 1 of a private PID namespace */
static int devnull = -1;
static int sigfd = -1;
static sigset_t child_mask; /* SIGCHLD, blocked so that signalfd can report it */
static int guest;           /* PID 1 of a guest kernel: see "Guest mode" above */
/* Starts every line a guest writes, so the host can pick them out of kernel messages. */
#define GUEST_MARK "@elf-lint@ "

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

/*
 * The registers the tracer needs, per architecture: x86-64 (the host, and the
 * amd64 guest), AArch64 (the arm64 guest) and RV64 (the riscv64 guest).
 */
struct cpu {
	unsigned long long pc, sp;
	int width;              /* bytes of a word of the process: 4 for ia32 or AArch32 */
	long long sysno, ret;   /* the system call it is in, and its return value */
};

#if defined(__x86_64__)
#define BREAKPOINT_PC_OFFSET 1 /* int3 traps with the pc past it */

static int get_cpu(pid_t pid, struct cpu *c)
{
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, pid, NULL, &r) < 0)
		return -1;
	c->pc = r.rip;
	c->sp = r.rsp;
	c->width = r.cs == 0x23 ? 4 : 8; /* __USER32_CS: an ia32 process */
	c->sysno = (long long)r.orig_rax;
	c->ret = (long long)r.rax;
	return 0;
}

static int set_pc(pid_t pid, unsigned long long pc)
{
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, pid, NULL, &r) < 0)
		return -1;
	r.rip = pc;
	return (int)ptrace(PTRACE_SETREGS, pid, NULL, &r);
}

static long with_breakpoint(long word)
{
	return (word & ~0xffL) | 0xcc;
}
#elif defined(__aarch64__)
#include <elf.h>
#include <sys/uio.h>
#define BREAKPOINT_PC_OFFSET 0 /* brk traps with the pc on it */

static int get_cpu(pid_t pid, struct cpu *c)
{
	struct user_regs_struct r;
	struct iovec iov = { &r, sizeof r };
	if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	if (iov.iov_len < sizeof r) {
		/* An AArch32 process: r0-r15 and cpsr, 32 bits each (r7 holds the call number). */
		const uint32_t *w = (const uint32_t *)&r;
		c->pc = w[15];
		c->sp = w[13];
		c->width = 4;
		c->sysno = w[7];
		c->ret = (int32_t)w[0];
		return 0;
	}
	c->pc = r.pc;
	c->sp = r.sp;
	c->width = 8;
	c->sysno = (long long)r.regs[8];
	c->ret = (long long)r.regs[0];
	return 0;
}

static int set_pc(pid_t pid, unsigned long long pc)
{
	struct user_regs_struct r;
	struct iovec iov = { &r, sizeof r };
	if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &iov) < 0 || iov.iov_len < sizeof r)
		return -1;
	r.pc = pc;
	return (int)ptrace(PTRACE_SETREGSET, pid, (void *)NT_PRSTATUS, &iov);
}

static long with_breakpoint(long word)
{
	return (long)(((unsigned long)word & ~0xffffffffUL) | 0xd4200000UL); /* brk #0 */
}
#elif defined(__riscv) && __riscv_xlen == 64
#include <asm/ptrace.h> /* glibc's sys/user.h has no user_regs_struct here */
#include <elf.h>
#include <sys/uio.h>
#define BREAKPOINT_PC_OFFSET 0 /* ebreak traps with the pc on it */
#define NO_SINGLE_STEP 1 /* Linux has no PTRACE_SINGLESTEP on RISC-V */

static int get_cpu(pid_t pid, struct cpu *c)
{
	struct user_regs_struct r;
	struct iovec iov = { &r, sizeof r };
	if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	c->pc = r.pc;
	c->sp = r.sp;
	c->width = 8;
	c->sysno = (long long)r.a7; /* the call number stays in a7; a0 holds the result */
	c->ret = (long long)r.a0;
	return 0;
}

static int set_pc(pid_t pid, unsigned long long pc)
{
	struct user_regs_struct r;
	struct iovec iov = { &r, sizeof r };
	if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	r.pc = pc;
	return (int)ptrace(PTRACE_SETREGSET, pid, (void *)NT_PRSTATUS, &iov);
}

static long with_breakpoint(long word)
{
	return (long)(((unsigned long)word & ~0xffffffffUL) | 0x00100073UL); /* ebreak */
}
#else
#error "runner.c knows the registers of x86-64, AArch64 and RV64 only"
#endif
#ifndef NO_SINGLE_STEP
#define NO_SINGLE_STEP 0
#endif

/*
 * A copy of the start of the tracee's stack, read with one process_vm_readv:
 * argc, argv, envp and the auxiliary vector are some forty-five words, and a
 * PTRACE_PEEKDATA for each made 48 of a run's 55 ptrace calls. Words outside
 * the copy are peeked one by one.
 */
static unsigned char stack_copy[8192];
static unsigned long long stack_copy_at;
static size_t stack_copy_len;

static void copy_stack(pid_t pid, unsigned long long sp)
{
	/* One iovec per page: a partial read stops at the first page that is not mapped. */
	unsigned long long page = (unsigned long long)sysconf(_SC_PAGESIZE);
	unsigned long long first = page - sp % page;
	struct iovec local = { stack_copy, sizeof stack_copy };
	struct iovec remote[3];
	int count = 0;
	unsigned long long at = sp, left = sizeof stack_copy;
	ssize_t got;
	while (left > 0 && count < 3) {
		unsigned long long len = count == 0 ? first : page;
		if (len > left)
			len = left;
		remote[count++] = (struct iovec){ (void *)(uintptr_t)at, (size_t)len };
		at += len;
		left -= len;
	}
	got = process_vm_readv(pid, &local, 1, remote, (unsigned long)count, 0);
	stack_copy_at = sp;
	stack_copy_len = got > 0 ? (size_t)got : 0;
}

/* One word of the tracee, `width` bytes (4 for a 32-bit process); -1 on failure. */
static int peek_word(pid_t pid, unsigned long long address, int width, unsigned long long *value)
{
	long word;
	if (address >= stack_copy_at && address - stack_copy_at + (unsigned long long)width <= stack_copy_len) {
		uint64_t wide = 0;
		uint32_t narrow = 0;
		if (width == 4) {
			memcpy(&narrow, stack_copy + (address - stack_copy_at), 4);
			*value = narrow;
		} else {
			memcpy(&wide, stack_copy + (address - stack_copy_at), 8);
			*value = wide;
		}
		return 0;
	}
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
static int read_auxv(pid_t pid, const struct cpu *c, unsigned long long *entry, unsigned long long *base)
{
	int width = c->width;
	unsigned long long p = c->sp, argc, value, type;
	int i;
	copy_stack(pid, c->sp);
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
	/*
	 * Traced without PTRACE_O_TRACEEXEC, a successful execve sends the child
	 * a plain SIGTRAP, so its first stop comes only once the file is loaded,
	 * on the way back to user mode: no stop before the exec is needed.
	 */
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
		child_fail("ptrace(TRACEME)");
	execve(path, argv, envp);
	_exit(errno); /* exec-error: the parent reads errno from the exit code */
}

/*
 * The child shares the runner's memory and the runner waits until it has
 * exec'd or exited (what posix_spawn does): no copy of the runner's page
 * tables, no TLB flush on the other CPU, no copy-on-write faults. Measured on
 * 2 vCPUs, fork's copy of the address space was a fifth of a job's CPU time.
 * So the child must never stop before its execve, and writes only its stack.
 */
struct child_job {
	const char *path;
	int timeout_ms, out_w, err_w;
	pid_t parent;
};

static char child_stack[64 * 1024] __attribute__((aligned(16)));

static int child_main(void *arg)
{
	const struct child_job *job = arg;
	child(job->path, job->timeout_ms, job->out_w, job->err_w, job->parent);
	return 0;
}

/*
 * A job is a ping-pong between the runner and its child (the exec, the
 * stops, the exit). On one CPU each wake-up is a context switch; across two it
 * is an inter-processor interrupt, which a virtual machine pays dearly for.
 * Measured on 2 vCPUs, two runners each bound to a CPU ran 15% more mutants
 * per second than unbound ones. AFL binds its targets for the same reason.
 */
static int bind_to_cpu(long index)
{
	cpu_set_t allowed, one;
	int count, seen = 0;

	if (index < 0 || sched_getaffinity(0, sizeof allowed, &allowed) < 0 || (count = CPU_COUNT(&allowed)) == 0)
		return -1;
	index %= count;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed) || seen++ != index)
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		return sched_setaffinity(0, sizeof one, &one);
	}
	return -1;
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
	struct cpu c;
	return get_cpu(pid, &c) == 0 ? c.pc : ~0ULL;
}

static void run_job(const char *path, int timeout_ms, struct outcome *o)
{
	int outp[2], errp[2], status;
	int exec_seen = 0, stepping = 0, started = 0, first_fault = 0;
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
	{
		struct child_job job = { path, timeout_ms, outp[1], errp[1], self };
		pid = clone(child_main, child_stack + sizeof child_stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &job);
	}
	if (pid < 0) {
		snprintf(o->err_text, sizeof o->err_text, "clone: %s", strerror(errno));
		o->harness_error = 1;
		close(outp[0]), close(outp[1]), close(errp[0]), close(errp[1]);
		return;
	}
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
			} else if (!exec_seen && WSTOPSIG(status) == SIGTRAP) {
				/* Loaded: execute exactly one instruction, the entry point's. */
				struct cpu c;
				exec_seen = 1;
				stepping = 1;
				/* Should the runner die, the kernel kills the mutant rather than let it run untraced. */
				ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)PTRACE_O_EXITKILL);
				if (get_cpu(pid, &c) == 0) {
					entry_rip = c.pc;
					/* The AArch64 breakpoint is no AArch32 instruction: those are not followed. */
					follow = !NO_SINGLE_STEP && (BREAKPOINT_PC_OFFSET != 0 || c.width == 8) &&
						 read_auxv(pid, &c, &program_entry, &interp_base) == 0 && interp_base != 0;
				}
				if (NO_SINGLE_STEP) {
					/* Run on: a signal with the pc still on the entry is the first instruction's. */
					stepping = 3;
					ptrace(PTRACE_CONT, pid, NULL, NULL);
				} else {
					ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL);
				}
			} else if (stepping == 3) {
				int sig = WSTOPSIG(status);
				stepping = 0;
				if (sig != SIGTRAP && rip_of(pid) == entry_rip) {
					first_fault = sig;
					kill(pid, SIGKILL);
				} else {
					started = 1;
					ptrace(PTRACE_DETACH, pid, NULL, (void *)(long)(sig == SIGTRAP ? 0 : sig));
				}
			} else if (stepping == 1 && WSTOPSIG(status) == SIGTRAP && rip_of(pid) == entry_rip) {
				/*
				 * No instruction ran: a step begun inside execve reports a
				 * trap at syscall exit first. Ours begins at the exec's
				 * SIGTRAP, past that point, so on x86-64 only an
				 * instruction that jumps to itself lands here (stepped
				 * twice); the guard stays for a kernel that reports it.
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
								 (void *)with_breakpoint(saved_word)) == 0)
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
				if (sig == SIGTRAP && breakpoint && rip == program_entry + BREAKPOINT_PC_OFFSET) {
					/* At the entry: put the word back and step its first instruction. */
					ptrace(PTRACE_POKETEXT, pid, (void *)(uintptr_t)program_entry, (void *)saved_word);
					set_pc(pid, program_entry);
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
				struct cpu c;
				stop_sig = WSTOPSIG(status);
				if (get_cpu(pid, &c) == 0 && c.sysno == SYS_execve && c.ret < 0 && c.ret > -4096)
					o->err = (int)-c.ret;
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

static void line_start(void)
{
	if (guest)
		fputs(GUEST_MARK, stdout);
}

static void put_outcome(unsigned long long id, const struct outcome *o)
{
	line_start();
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

/* A file's text as a JSON string (at most 16 KiB of it), or null when it cannot be read. */
static void put_file_json(const char *path)
{
	char buf[16384];
	ssize_t n = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
	}
	if (n < 0) {
		fputs("null", stdout);
		return;
	}
	buf[n] = '\0';
	put_json_string(buf);
}

/* What the host needs to predict for this kernel, in the greeting of a guest. */
static void put_guest_facts(void)
{
	static const char *const files[] = {
		"/proc/sys/vm/mmap_min_addr", "/proc/sys/vm/overcommit_memory", "/proc/meminfo",
	};
	struct utsname u;
	if (uname(&u) < 0)
		memset(&u, 0, sizeof u);
	fputs(",\"guest\":{\"release\":", stdout);
	put_json_string(u.release);
	fputs(",\"machine\":", stdout);
	put_json_string(u.machine);
	printf(",\"pageSize\":%ld,\"files\":{", sysconf(_SC_PAGESIZE));
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		printf(i ? ",\"%s\":" : "\"%s\":", files[i]);
		put_file_json(files[i]);
	}
	fputs("}}", stdout);
}

static int base64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes base64 in place; returns the byte count, or -1 on a character outside the alphabet. */
static ssize_t base64_decode(char *text)
{
	unsigned bits = 0;
	int have = 0;
	size_t out = 0;
	for (char *p = text; *p && *p != '='; p++) {
		int v = base64_value(*p);
		if (v < 0)
			return -1;
		bits = bits << 6 | (unsigned)v;
		have += 6;
		if (have >= 8) {
			have -= 8;
			text[out++] = (char)(bits >> have & 0xff);
		}
	}
	return (ssize_t)out;
}

/* An inline job's file: WORKDIR/mutant, rewritten for every job. Returns its path, or NULL. */
static const char *write_inline(char *base64, char *err, size_t cap)
{
	static char path[4096];
	ssize_t len = base64_decode(base64), done = 0;
	int fd;
	if (len < 0) {
		snprintf(err, cap, "bad base64 in job line");
		return NULL;
	}
	snprintf(path, sizeof path, "%s/%s", workdir, inline_name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	/* The umask filtered the creation mode; the mutants need theirs exactly. */
	if (fd < 0 || fchmod(fd, 0755) < 0) {
		snprintf(err, cap, "cannot write %.256s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while (done < len) {
		ssize_t n = write(fd, base64 + done, (size_t)(len - done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, cap, "cannot write %.256s: %s", path, strerror(errno));
			close(fd);
			return NULL;
		}
		done += n;
	}
	close(fd);
	return path;
}

static void put_job_error(unsigned long long id, int known, const char *text)
{
	line_start();
	if (known)
		printf("{\"id\":%llu,\"error\":", id);
	else
		fputs("{\"id\":null,\"error\":", stdout);
	put_json_string(text);
	puts("}");
	fflush(stdout);
}

static int job_loop(const char *note)
{
	static struct outcome o;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	o.out = malloc(STDOUT_CAP);
	if (!o.out)
		return 1;
	line_start();
	printf("{\"ready\":true,\"pid\":%d,\"pidNamespace\":%s,\"uid\":%d,\"gid\":%d,\"note\":",
	       (int)getpid(), in_pidns ? "true" : "false",
	       drop_privileges ? (int)mutant_uid : (int)getuid(),
	       drop_privileges ? (int)mutant_gid : (int)getgid());
	put_json_string(note);
	if (guest)
		put_guest_facts();
	puts("}");
	fflush(stdout);

	while ((n = getline(&line, &cap, stdin)) > 0) {
		unsigned long long id;
		long timeout_ms;
		const char *path;
		char *p = line, *end;

		/* A console line ends in CR LF when the host side is a terminal. */
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (strcmp(line, "bye") == 0)
			break;
		id = strtoull(p, &end, 10);
		if (end == p || *end != ' ') {
			put_job_error(0, 0, "bad job line");
			continue;
		}
		p = end + 1;
		timeout_ms = strtol(p, &end, 10);
		if (end == p || *end != ' ' || end[1] == '\0' || timeout_ms < 1 || timeout_ms > 86400000) {
			put_job_error(id, 1, "bad job line");
			continue;
		}
		path = end + 1;
		if (*path == ':' && !(path = write_inline(end + 2, o.err_text, sizeof o.err_text))) {
			put_job_error(id, 1, o.err_text);
			continue;
		}
		run_job(path, (int)timeout_ms, &o);
		put_outcome(id, &o);
		fflush(stdout);
	}
	reap_everything();
	return 0;
}

/*
 * The init of a guest: the file systems the runner and the mutants need, and
 * a raw console (no echo, no CR/LF translation, no signals from ^C bytes).
 */
static int guest_setup(void)
{
	struct termios t;
	mkdir("/proc", 0555);
	mkdir("/dev", 0755);
	mkdir("/tmp", 01777);
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ||
	    mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, NULL) < 0 ||
	    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0) {
		perror("runner: mount");
		return -1;
	}
	if (tcgetattr(0, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(0, TCSANOW, &t);
	}
	workdir = "/tmp";
	return 0;
}

/* An init that returns panics the kernel: a guest powers off instead. */
static int guest_exit(int status)
{
	if (!guest)
		return status;
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return status;
}

int main(int argc, char **argv)
{
	const char *note = "";
	int want_pidns = 1, opt;

	while ((opt = getopt(argc, argv, "u:g:d:m:c:N")) != -1) {
		switch (opt) {
		case 'u': mutant_uid = (uid_t)strtoul(optarg, NULL, 10); break;
		case 'g': mutant_gid = (gid_t)strtoul(optarg, NULL, 10); break;
		case 'd': workdir = optarg; break;
		case 'm':
			if (!*optarg || strchr(optarg, '/')) {
				fprintf(stderr, "runner: -m takes a file name, not a path\n");
				return 2;
			}
			inline_name = optarg;
			break;
		case 'N': want_pidns = 0; break;
		case 'c':
			/* Unbound is only slower: a failure is no reason to stop. */
			if (bind_to_cpu(strtol(optarg, NULL, 10)) < 0)
				fprintf(stderr, "runner: cannot bind to CPU %s: %s\n", optarg, strerror(errno));
			break;
		default:
			fprintf(stderr, "usage: %s [-u UID] [-g GID] [-d WORKDIR] [-m NAME] [-c INDEX] [-N]\n", argv[0]);
			return 2;
		}
	}
	guest = getpid() == 1;
	drop_privileges = geteuid() == 0;
	if (guest) {
		/* The init of a guest kernel: kill(-1) reaches every process but us. */
		if (guest_setup() < 0)
			return guest_exit(1);
		note = "PID 1 of a guest kernel";
		in_pidns = 1;
	} else if (!drop_privileges)
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
		return guest_exit(1);
	}
	return guest_exit(job_loop(note));
}
