/*
 * bcryptprimitives.dll for Wine 8.0, which lacks it.
 *
 * Go 1.22 and later get their random bytes (the runtime's seed,
 * crypto/rand) from ProcessPrng in bcryptprimitives.dll, and a Go test
 * binary for windows stops at startup where the DLL or the function is
 * missing. This DLL exports ProcessPrng alone, with the documented
 * signature:
 *
 *     BOOL WINAPI ProcessPrng(PBYTE pbData, SIZE_T cbData);
 *
 * and fills the buffer from RtlGenRandom (SystemFunction036 in
 * advapi32.dll), which Wine has. Windows' ProcessPrng always returns
 * TRUE; this one returns FALSE if RtlGenRandom ever fails, so the caller
 * sees an error instead of using bytes that were never filled.
 *
 * It is for CI (.ci/windows/run) only: it is built there with
 * x86_64-w64-mingw32-gcc and copied into a throwaway Wine prefix.
 */
#include <windows.h>

/* RtlGenRandom's real name; declared here so no ntsecapi.h is needed. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE pbData, SIZE_T cbData)
{
	/* RtlGenRandom takes a ULONG (32-bit) length: go in chunks. */
	const SIZE_T chunk = 1u << 30;

	while (cbData > 0) {
		ULONG n = (ULONG)(cbData < chunk ? cbData : chunk);

		if (!SystemFunction036(pbData, n))
			return FALSE;
		pbData += n;
		cbData -= n;
	}
	return TRUE;
}
