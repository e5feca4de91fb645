/** The server's rule for a new password (PASSWORD_WEAK): at least 8 characters with letters and digits. */
export const PASSWORD_PATTERN = /^(?=.*[A-Za-z])(?=.*\d).{8,}$/;
