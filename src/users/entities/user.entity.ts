import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export const ONBOARDING_PHASES = ['goal_discovery', 'coaching_style_discovery', 'coaching'] as const;
export type OnboardingPhase = (typeof ONBOARDING_PHASES)[number];

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The JWT `sub` of the identity provider (or of `npm run token`). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 255 })
  externalId: string;

  @Column({ type: 'varchar', length: 2000, default: '' })
  displayName: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  /** E.164 */
  @Index()
  @Column({ type: 'varchar', length: 20, nullable: true })
  phoneNumber: string | null;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role: UserRole;

  /** IANA time zone, e.g. Europe/Berlin */
  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timezone: string;

  @Column({ type: 'varchar', length: 32, default: 'goal_discovery' })
  onboardingPhase: OnboardingPhase;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
