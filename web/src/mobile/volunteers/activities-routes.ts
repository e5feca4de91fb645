/** The phone's 志愿活动 pages, for mobile-app.tsx (a path that sorts after the other imports, beside its marker). */
export {
  MobileActivitiesPage,
  MobileActivityOrganisePage,
  MobileActivityPage,
} from '../activities/mobile-activities-page';
