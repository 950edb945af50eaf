/*
 * The measuring wrapper of `npm run bench`: runs one command with its
 * standard output sent to a file, waits for it with wait4 and prints
 * "WALL_MICROSECONDS MAXRSS_KIB STATUS" on its own standard output.
 * MAXRSS is the child's peak resident set size (ru_maxrss, in KiB, its
 * threads and the children it waited for included). STATUS is the exit
 * code, 128 + the signal number, or "timeout" when the child ran past
 * TIMEOUT_SECONDS and was killed. The command is killed too when this
 * wrapper is stopped, or when the process that started it dies.
 *
 * Usage: rusage TIMEOUT_SECONDS STDOUT_FILE COMMAND [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;
static pid_t child;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	if (child > 0)
		kill(child, SIGKILL);
}

static void on_term(int sig)
{
	if (child > 0)
		kill(child, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: rusage TIMEOUT_SECONDS STDOUT_FILE COMMAND [ARG...]\n");
		return 2;
	}
	unsigned timeout = (unsigned)atoi(argv[1]);
	int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		perror(argv[2]);
		return 2;
	}
	signal(SIGALRM, on_alarm);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	/* When the bench dies, so do this wrapper and (through on_term) the command. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	child = fork();
	if (child < 0) {
		perror("fork");
		return 2;
	}
	if (child == 0) {
		dup2(out, STDOUT_FILENO);
		close(out);
		execvp(argv[3], argv + 3);
		perror(argv[3]);
		_exit(127);
	}
	close(out);
	if (timeout > 0)
		alarm(timeout);
	int status;
	struct rusage usage;
	while (wait4(child, &status, 0, &usage) < 0) {
		if (errno != EINTR) {
			perror("wait4");
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	long long micros = (long long)(end.tv_sec - start.tv_sec) * 1000000LL + (end.tv_nsec - start.tv_nsec) / 1000;
	if (timed_out)
		printf("%lld %ld timeout\n", micros, usage.ru_maxrss);
	else if (WIFSIGNALED(status))
		printf("%lld %ld %d\n", micros, usage.ru_maxrss, 128 + WTERMSIG(status));
	else
		printf("%lld %ld %d\n", micros, usage.ru_maxrss, WEXITSTATUS(status));
	return 0;
}
