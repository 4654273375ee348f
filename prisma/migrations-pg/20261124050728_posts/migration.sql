-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "tags" JSONB NOT NULL,
    "body" TEXT NOT NULL,
    "imageUrl" TEXT,
    "link" TEXT,
    "channels" JSONB NOT NULL,
    "notBefore" TIMESTAMP(3),
    "notAfter" TIMESTAMP(3),
    "origin" TEXT NOT NULL DEFAULT 'file',
    "sourceFile" TEXT,
    "contentHash" TEXT NOT NULL,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduledPost" (
    "id" SERIAL NOT NULL,
    "postId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "planId" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "platformPostId" TEXT,
    "heldSince" TIMESTAMP(3),
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "publishedAt" TIMESTAMP(3),
    "outboundId" INTEGER,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScheduledPost_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostPlan" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "weekdays" JSONB NOT NULL,
    "times" JSONB NOT NULL,
    "topics" JSONB NOT NULL,
    "channels" JSONB NOT NULL,
    "startAt" TIMESTAMP(3) NOT NULL,
    "endAt" TIMESTAMP(3),
    "maxCount" INTEGER,
    "targetPerMonth" INTEGER,
    "nextRunAt" TIMESTAMP(3),
    "occurrences" INTEGER NOT NULL DEFAULT 0,
    "missedCount" INTEGER NOT NULL DEFAULT 0,
    "lastNote" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PostPlan_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Post_slug_key" ON "Post"("slug");

-- CreateIndex
CREATE INDEX "Post_topic_archived_idx" ON "Post"("topic", "archived");

-- CreateIndex
CREATE INDEX "ScheduledPost_state_nextAttemptAt_idx" ON "ScheduledPost"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "ScheduledPost_channel_state_publishedAt_idx" ON "ScheduledPost"("channel", "state", "publishedAt");

-- CreateIndex
CREATE INDEX "ScheduledPost_postId_channel_idx" ON "ScheduledPost"("postId", "channel");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduledPost_planId_channel_dueAt_key" ON "ScheduledPost"("planId", "channel", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "PostPlan_name_key" ON "PostPlan"("name");

-- CreateIndex
CREATE INDEX "PostPlan_active_nextRunAt_idx" ON "PostPlan"("active", "nextRunAt");

-- AddForeignKey
ALTER TABLE "ScheduledPost" ADD CONSTRAINT "ScheduledPost_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduledPost" ADD CONSTRAINT "ScheduledPost_planId_fkey" FOREIGN KEY ("planId") REFERENCES "PostPlan"("id") ON DELETE SET NULL ON UPDATE CASCADE;
