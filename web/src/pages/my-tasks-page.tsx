import { MyTasksView } from '../features/my-tasks/components/my-tasks-view';

/** 我的任务 (/tasks): every console role's own tasks, merged by deadline. */
export function MyTasksPage() {
  return <MyTasksView />;
}
