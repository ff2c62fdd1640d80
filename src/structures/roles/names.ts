/** Role names as stored (see internRoleName). */
export function internRoleName(name: string): string {
  return name;
}
