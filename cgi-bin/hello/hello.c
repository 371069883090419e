/*
** hello.c -- the benchmark baseline: the smallest useful FastCGI responder
** (libfcgi accept loop, fixed reply, the same connection handling as the
** real workers), forked into the same number of processes as the real
** executables.  Not part of the product.
*/
#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv){
  if( argc<2 ){ fprintf(stderr, "usage: %s SOCKET [WORKERS]\n", argv[0]); return 2; }
  int n = argc>2 ? atoi(argv[2]) : 2;
  FCGX_Init();
  unlink(argv[1]);
  int sock = FCGX_OpenSocket(argv[1], 128);
  if( sock<0 ){ perror("listen"); return 2; }
  chmod(argv[1], 0666);
  for(int i=0; i<n; i++){
    if( fork()==0 ){
      FCGX_Request r;
      prctl(PR_SET_PDEATHSIG, SIGTERM);    /* end with the parent */
      FCGX_InitRequest(&r, sock, 0);
      while( FCGX_Accept_r(&r)>=0 ){
        FCGX_PutS("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nhello\n", r.out);
        /* the connection handling of the real workers (app.c): with the
        ** input read to its end, close at once instead of lingering */
        if( FCGX_GetChar(r.in)==EOF && FCGX_GetError(r.in)==0 ) FCGX_Detach(&r);
        FCGX_Finish_r(&r);
      }
      _exit(0);
    }
  }
  while( wait(NULL)>0 ) ;
  return 0;
}
