import jwt from 'jsonwebtoken';

export interface TokenClaims {
  sub: string;
  name?: string;
  email?: string;
  phone_number?: string;
  role?: 'user' | 'admin';
  zoneinfo?: string;
}

/** HS256 token as `npm run token` and the dev sign-in links issue them. */
export function signToken(secret: string, claims: TokenClaims, expiresIn: string | number = '30d'): string {
  return jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn: expiresIn as jwt.SignOptions['expiresIn'] });
}
