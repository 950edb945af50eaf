/*
 * The baseline for `npm run bench:fuzz`: the plainest possible executor, a
 * fork/execve/waitpid loop over one file, with no sandbox, no ptrace and no
 * classification. Prints execs per second.
 *
 * Usage: forkexec FILE COUNT
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: forkexec FILE COUNT\n");
		return 2;
	}
	long count = atol(argv[2]);
	char *child_argv[] = { argv[1], NULL };
	char *child_env[] = { NULL };
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0; i < count; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			execve(argv[1], child_argv, child_env);
			_exit(127);
		}
		int status;
		waitpid(pid, &status, 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
	printf("%.0f\n", (double)count / seconds);
	return 0;
}
